// A C++ grid AOI written for bench/aoi/native.js (docs/benchmarks.md, "C++ peer"): the common design of game-server
// AOI libraries. Square cells of edge = leave radius in a bounded 2D array, each cell a std::vector of entity ids
// (an entity changes cells by swap-and-pop plus push), every watcher's view a sorted std::vector<int>; a tick moves
// every entity, then each watcher scans the 3x3 cells around it, sorts its candidates by id and diffs them against
// its previous view (merge of two sorted lists) into enters and leaves.
//
// Input (little-endian, written by the bench): "AOIP", u32 version 1, u32 n, u32 frames, f64 half (positions are in
// [-half, half]^2), f64 view radius, f64 leave radius, then `frames` frames of n f64 x followed by n f64 y.
// Frame 0 is where entities are added (no events), frame 1 is the untimed fill tick, frames 2.. are timed.
// Output: one JSON line with per-tick wall and CPU times and the enter/leave counts and order-free checksums of
// the timed ticks (sum of fmix32(watcher * 0x9e3779b1 ^ target) mod 2^32, the same function as the bench's).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

struct Event {
  int watcher;
  int target;
};

uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

uint32_t eventHash(int watcher, int target) {
  return fmix32(static_cast<uint32_t>(watcher) * 0x9e3779b1u ^ static_cast<uint32_t>(target));
}

double cpuMs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

class GridAoi {
 public:
  GridAoi(int n, double half, double view, double leave)
      : n_(n), view2_(view * view), leave2_(leave * leave), cell_(leave > 0 ? leave : 1), min_(-half) {
    side_ = static_cast<int>(std::floor(2 * half / cell_)) + 1;
    cells_.resize(static_cast<size_t>(side_) * side_);
    x_.assign(n, 0);
    y_.assign(n, 0);
    cellOf_.assign(n, -1);
    slotInCell_.assign(n, 0);
    views_.resize(n);
  }

  /** Puts every entity at its new position, updating cell membership only for those that changed cells. */
  void place(const double* xs, const double* ys) {
    for (int i = 0; i < n_; i++) {
      x_[i] = xs[i];
      y_[i] = ys[i];
      int c = cellIndex(xs[i], ys[i]);
      if (c == cellOf_[i]) continue;
      if (cellOf_[i] >= 0) {
        std::vector<int>& old = cells_[cellOf_[i]];
        int last = old.back();
        old[slotInCell_[i]] = last;
        slotInCell_[last] = slotInCell_[i];
        old.pop_back();
      }
      cellOf_[i] = c;
      slotInCell_[i] = static_cast<int>(cells_[c].size());
      cells_[c].push_back(i);
    }
  }

  /** Recomputes every view from the current positions; appends the differences to enters and leaves. */
  void update(std::vector<Event>& enters, std::vector<Event>& leaves) {
    for (int i = 0; i < n_; i++) {
      const int c = cellOf_[i];
      const int cx = c % side_;
      const int cy = c / side_;
      candidates_.clear();
      for (int gy = std::max(cy - 1, 0); gy <= std::min(cy + 1, side_ - 1); gy++) {
        for (int gx = std::max(cx - 1, 0); gx <= std::min(cx + 1, side_ - 1); gx++) {
          for (int j : cells_[gy * side_ + gx]) {
            if (j == i) continue;
            const double dx = x_[i] - x_[j];
            const double dy = y_[i] - y_[j];
            const double d2 = dx * dx + dy * dy;
            if (d2 <= leave2_) candidates_.push_back(Candidate{j, d2 <= view2_});
          }
        }
      }
      std::sort(candidates_.begin(), candidates_.end(),
                [](const Candidate& a, const Candidate& b) { return a.id < b.id; });
      // Merge the sorted candidates with the sorted previous view: kept, entered, left.
      std::vector<int>& old = views_[i];
      next_.clear();
      size_t p = 0;
      for (const Candidate& cand : candidates_) {
        while (p < old.size() && old[p] < cand.id) leaves.push_back(Event{i, old[p++]});
        const bool was = p < old.size() && old[p] == cand.id;
        if (was) p++;
        if (was || cand.inView) {
          next_.push_back(cand.id);
          if (!was) enters.push_back(Event{i, cand.id});
        }
      }
      while (p < old.size()) leaves.push_back(Event{i, old[p++]});
      old.swap(next_);
    }
  }

 private:
  struct Candidate {
    int id;
    bool inView;
  };

  int cellIndex(double x, double y) const {
    int gx = static_cast<int>(std::floor((x - min_) / cell_));
    int gy = static_cast<int>(std::floor((y - min_) / cell_));
    gx = std::min(std::max(gx, 0), side_ - 1);
    gy = std::min(std::max(gy, 0), side_ - 1);
    return gy * side_ + gx;
  }

  int n_;
  double view2_;
  double leave2_;
  double cell_;
  double min_;
  int side_ = 1;
  std::vector<std::vector<int>> cells_;
  std::vector<double> x_;
  std::vector<double> y_;
  std::vector<int> cellOf_;
  std::vector<int> slotInCell_;
  std::vector<std::vector<int>> views_;
  std::vector<Candidate> candidates_;
  std::vector<int> next_;
};

bool readAll(FILE* f, void* into, size_t bytes) { return std::fread(into, 1, bytes, f) == bytes; }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: grid-aoi <positions file>\n");
    return 2;
  }
  FILE* f = std::fopen(argv[1], "rb");
  if (f == nullptr) {
    std::fprintf(stderr, "grid-aoi: cannot open %s\n", argv[1]);
    return 2;
  }
  char magic[4];
  uint32_t version = 0, n = 0, frames = 0;
  double half = 0, view = 0, leave = 0;
  if (!readAll(f, magic, 4) || std::memcmp(magic, "AOIP", 4) != 0 || !readAll(f, &version, 4) || version != 1 ||
      !readAll(f, &n, 4) || !readAll(f, &frames, 4) || !readAll(f, &half, 8) || !readAll(f, &view, 8) ||
      !readAll(f, &leave, 8)) {
    std::fprintf(stderr, "grid-aoi: %s: not a version 1 AOIP positions file\n", argv[1]);
    return 2;
  }
  // Bounds: at most 2^25 entities (the JS engine's limit) and 100000 frames; half and radii finite and positive.
  if (n == 0 || n > (1u << 25) || frames < 3 || frames > 100000 || !(half > 0 && half < 1e9) || !(view >= 0) ||
      !(leave >= view) || !(leave < 1e9)) {
    std::fprintf(stderr, "grid-aoi: %s: header out of range (n %u, frames %u)\n", argv[1], n, frames);
    return 2;
  }
  std::vector<double> xs(n), ys(n);
  auto readFrame = [&](uint32_t t) {
    if (!readAll(f, xs.data(), n * sizeof(double)) || !readAll(f, ys.data(), n * sizeof(double))) {
      std::fprintf(stderr, "grid-aoi: %s: truncated at frame %u\n", argv[1], t);
      std::exit(2);
    }
  };
  GridAoi aoi(static_cast<int>(n), half, view, leave);
  std::vector<Event> enters, leaves;
  readFrame(0);
  aoi.place(xs.data(), ys.data());
  readFrame(1);
  aoi.place(xs.data(), ys.data());
  aoi.update(enters, leaves);
  uint64_t enterCount = 0, leaveCount = 0;
  uint32_t enterHash = 0, leaveHash = 0;
  std::string wall = "[", cpu = "[";
  for (uint32_t t = 2; t < frames; t++) {
    readFrame(t);
    enters.clear();
    leaves.clear();
    const double cpu0 = cpuMs();
    const auto wall0 = std::chrono::steady_clock::now();
    aoi.place(xs.data(), ys.data());
    aoi.update(enters, leaves);
    const double wallMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0).count();
    const double cpuTickMs = cpuMs() - cpu0;
    for (const Event& e : enters) enterHash += eventHash(e.watcher, e.target);
    for (const Event& e : leaves) leaveHash += eventHash(e.watcher, e.target);
    enterCount += enters.size();
    leaveCount += leaves.size();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%.4f", t == 2 ? "" : ",", wallMs);
    wall += buf;
    std::snprintf(buf, sizeof buf, "%s%.4f", t == 2 ? "" : ",", cpuTickMs);
    cpu += buf;
  }
  std::fclose(f);
  std::printf(
      "{\"ticks\":%u,\"wallMs\":%s],\"cpuMs\":%s],\"enters\":%llu,\"leaves\":%llu,\"enterHash\":%u,"
      "\"leaveHash\":%u}\n",
      frames - 2, wall.c_str(), cpu.c_str(), static_cast<unsigned long long>(enterCount),
      static_cast<unsigned long long>(leaveCount), enterHash, leaveHash);
  return 0;
}
