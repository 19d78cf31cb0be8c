/*
 * Lane extraction, rule for rule as @lanes/trace-context (extract-lane.ts, tracestate-grammar.ts,
 * baggage-grammar.ts, lane-name.ts) and njs/lanes.js read it; test/gateway-native-lanes.test.ts compares the three
 * through a real nginx. Every index is checked against the length it came with: nothing is read past `n`.
 */
#include "lanes_parse.h"

#include <string.h>

/* W3C Trace Context: at most 32 list-members; key 256, tenant 241, system 14, value 256 chars. */
#define MAX_MEMBERS 32
#define MAX_KEY 256
#define MAX_TENANT 241
#define MAX_SYSTEM 14
#define MAX_VALUE 256
/* W3C Baggage: the 8192 bytes every platform must propagate (baggage-grammar.ts BAGGAGE_MAX_BYTES). */
#define MAX_BAGGAGE_BYTES 8192

static int is_ows(unsigned c) { return c == ' ' || c == '\t'; }
static int is_lc_alpha(unsigned c) { return c >= 'a' && c <= 'z'; }
static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }

/* Level 1 keychar: lcalpha DIGIT _ - * / ; Level 2 adds @. */
static int is_key_char(unsigned c, int level) {
  return is_lc_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == '*' || c == '/' || (level == 2 && c == '@');
}

/* RFC 9110 tchar. */
static int is_token_char(unsigned c) {
  if (is_lc_alpha(c) || is_digit(c) || (c >= 'A' && c <= 'Z')) return 1;
  return c != 0 && c < 128 && strchr("!#$%&'*+-.^_`|~", (int)c) != NULL;
}

static int is_baggage_octet(unsigned c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
         (c >= 0x5d && c <= 0x7e);
}

static int is_lane_name(const unsigned char *s, size_t n) {
  size_t i;
  if (n < 1 || n > LANES_MAX_LANE) return 0;
  for (i = 0; i < n; i++) {
    if (is_lc_alpha(s[i]) || is_digit(s[i])) continue;
    if (s[i] != '-' || i == 0 || i == n - 1) return 0;
  }
  return 1;
}

static int contains(const unsigned char *s, size_t n, const char *needle) {
  size_t k = strlen(needle), i;
  for (i = 0; i + k <= n; i++) {
    if (memcmp(s + i, needle, k) == 0) return 1;
  }
  return 0;
}

/* End of a run of key chars from `from`, or -1 once the key grows past `max` chars counted from `start`. */
static long key_run(const unsigned char *s, size_t start, size_t from, size_t end, int level, size_t max) {
  size_t i = from;
  while (i < end && is_key_char(s[i], level)) {
    if (i - start >= max) return -1;
    i++;
  }
  return (long)i;
}

/* End of the tracestate key at `start` (< end), or -1: Level 2 one run; Level 1 a simple key or tenant@system. */
static long scan_key(const unsigned char *s, size_t start, size_t end, int level) {
  unsigned first = s[start];
  long i;
  size_t system;
  if (!is_lc_alpha(first) && !is_digit(first)) return -1;
  i = key_run(s, start, start + 1, end, level, MAX_KEY);
  if (level == 2 || i < 0) return i;
  if ((size_t)i >= end || s[i] != '@') return is_lc_alpha(first) ? i : -1;
  if ((size_t)i - start > MAX_TENANT) return -1;
  system = (size_t)i + 1;
  if (system >= end || !is_lc_alpha(s[system])) return -1;
  return key_run(s, system, system + 1, end, level, MAX_SYSTEM);
}

size_t lanes_from_tracestate(const unsigned char *s, size_t n, int level, unsigned char *out) {
  size_t key_start[MAX_MEMBERS], key_len[MAX_MEMBERS];
  size_t members = 0, lane_len = 0, i = 0, start, key_end, value_end, m;
  int lane_seen = 0, repeated;
  long k;
  if (s == NULL || n > LANES_MAX_INPUT || !contains(s, n, "ctx=")) return 0;
  while (i < n) {
    while (i < n && is_ows(s[i])) i++;
    if (i >= n) break;
    if (s[i] == ',') {
      i++;
      continue;
    }
    start = i;
    k = scan_key(s, start, n, level);
    if (k < 0 || (size_t)k >= n || s[k] != '=') return 0;
    key_end = (size_t)k;
    i = key_end + 1;
    value_end = i;
    while (i < n) {
      unsigned c = s[i];
      if (c == ',' || c == '\t') break;
      if (c < 32 || c > 0x7e || c == '=') return 0;
      i++;
      if (c != ' ') value_end = i;
      if (value_end - key_end - 1 > MAX_VALUE) return 0;
    }
    if (value_end == key_end + 1) return 0;
    while (i < n && is_ows(s[i])) i++;
    if (i < n && s[i] != ',') return 0;
    if (members == MAX_MEMBERS) return 0;
    i++;
    /* The left-most of repeated keys counts; Level 1 refuses the whole list. */
    repeated = 0;
    for (m = 0; m < members; m++) {
      if (key_len[m] == key_end - start && memcmp(s + key_start[m], s + start, key_len[m]) == 0) {
        repeated = 1;
        break;
      }
    }
    key_start[members] = start;
    key_len[members] = key_end - start;
    members++;
    if (repeated) {
      if (level == 1) return 0;
      continue;
    }
    if (!lane_seen && key_end - start == 3 && memcmp(s + start, "ctx", 3) == 0) {
      const unsigned char *value = s + key_end + 1;
      size_t value_len = value_end - key_end - 1;
      lane_seen = 1;
      lane_len = 0;
      if (value_len > 5 && memcmp(value, "lane:", 5) == 0 && is_lane_name(value + 5, value_len - 5)) {
        lane_len = value_len - 5;
        memcpy(out, value + 5, lane_len);
      }
    }
  }
  return lane_len;
}

static size_t skip_ows(const unsigned char *s, size_t i, size_t end) {
  while (i < end && is_ows(s[i])) i++;
  return i;
}

static size_t skip_token(const unsigned char *s, size_t i, size_t end) {
  while (i < end && is_token_char(s[i])) i++;
  return i;
}

static size_t skip_octets(const unsigned char *s, size_t i, size_t end) {
  while (i < end && is_baggage_octet(s[i])) i++;
  return i;
}

/* `;key` or `;key=value` properties up to `end`, with optional whitespace around each part. */
static int properties_valid(const unsigned char *s, size_t i, size_t end) {
  size_t key_end;
  while (i < end) {
    if (s[i] != ';') return 0;
    i = skip_ows(s, i + 1, end);
    key_end = skip_token(s, i, end);
    if (key_end == i) return 0;
    i = skip_ows(s, key_end, end);
    if (i < end && s[i] == '=') i = skip_ows(s, skip_octets(s, skip_ows(s, i + 1, end), end), end);
  }
  return 1;
}

static int hex_value(unsigned c) {
  unsigned lower = c | 0x20;
  if (is_digit(c)) return (int)(c - '0');
  return lower >= 'a' && lower <= 'f' ? (int)(lower - 'a' + 10) : -1;
}

/*
 * Percent-decodes a baggage value into out; returns its length, or 0 when the result cannot be a lane name (too
 * long, or an escape of a non-ASCII octet, which percent-encoding.ts decodes to a non-ASCII character).
 */
static size_t decode_lane(const unsigned char *s, size_t n, unsigned char *out) {
  size_t i, len = 0;
  for (i = 0; i < n; i++) {
    unsigned c = s[i];
    int hi = c == '%' && i + 2 < n ? hex_value(s[i + 1]) : -1;
    int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
    if (hi >= 0 && lo >= 0) {
      c = (unsigned)((hi << 4) | lo);
      if (c >= 0x80) return 0;
      i += 2;
    }
    if (len == LANES_MAX_LANE) return 0;
    out[len++] = (unsigned char)c;
  }
  return len;
}

size_t lanes_from_baggage(const unsigned char *s, size_t n, unsigned char *out) {
  unsigned char lane[LANES_MAX_LANE];
  size_t used = 0, found_len = 0, position = 0, comma, start, end, key_end, i, value_start, value_end, bytes, len;
  int found = 0;
  if (s == NULL || n > LANES_MAX_INPUT || !contains(s, n, "lane")) return 0;
  while (position <= n) {
    comma = position;
    while (comma < n && s[comma] != ',') comma++;
    start = skip_ows(s, position, comma);
    end = comma;
    while (end > start && is_ows(s[end - 1])) end--;
    position = comma + 1;
    if (start == end) continue;
    key_end = skip_token(s, start, end);
    if (key_end == start) continue;
    i = skip_ows(s, key_end, end);
    if (i >= end || s[i] != '=') continue;
    value_start = skip_ows(s, i + 1, end);
    value_end = skip_octets(s, value_start, end);
    if (!properties_valid(s, skip_ows(s, value_end, end), end)) continue;
    bytes = end - start + (used > 0 ? 1 : 0);
    if (used + bytes > MAX_BAGGAGE_BYTES) break;
    used += bytes;
    if (key_end - start != 4 || memcmp(s + start, "lane", 4) != 0) continue;
    /*
     * A lane member whose value is no lane name makes the answer "none" whatever follows: either it stays the
     * value found, or a later one disagrees with it.
     */
    len = decode_lane(s + value_start, value_end - value_start, lane);
    if (!is_lane_name(lane, len)) return 0;
    if (found && (len != found_len || memcmp(lane, out, len) != 0)) return 0;
    memcpy(out, lane, len);
    found_len = len;
    found = 1;
  }
  return found ? found_len : 0;
}
