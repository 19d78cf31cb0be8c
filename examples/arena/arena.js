// The game: players and wandering NPCs in one AOI world, advanced one tick at a time. No I/O here: the server
// feeds it moves and sends what each tick returns.
import { AoiWorld, EventKind } from '@lanes/aoi';
import { recordWorld, mulberry32 as seededRandom } from '@lanes/aoi-trace';

const TAGS = { player: 1, npc: 2 };
const FIRST_PLAYER_ID = 1000;

const round1 = (value) => Math.round(value * 10) / 10;

export class Arena {
  /** `config` from readConfig(); `sink` receives one TickRecord per tick. */
  constructor(config, sink) {
    this.config = config;
    // metrics: the update latency for /arena/metrics (two clock reads per tick).
    this.world = new AoiWorld({ mode: 'batched', cellSize: config.cellSize, metrics: true });
    this.recorder = recordWorld(this.world, sink, {
      tagNames: ['player', 'npc'],
      attributes: {
        lane: config.lane,
        revision: String(config.revision),
        version: config.version,
        viewRadius: String(config.viewRadius),
        leaveRadius: String(config.leaveRadius),
      },
    });
    this.random = seededRandom(config.seed);
    // Players draw from their own stream, so the NPCs walk the same paths in every lane whoever joins.
    this.playerRandom = seededRandom(config.seed + 1);
    this.players = new Map();
    this.npcs = [];
    this.nextPlayerId = FIRST_PLAYER_ID;
    this.ticks = 0;
    this.events = 0;
    this.spawnNpcs();
  }

  spawnNpcs() {
    const { npcs, mapSize } = this.config;
    for (let id = 1; id <= npcs; id++) {
      const npc = { id, x: this.random() * mapSize, y: this.random() * mapSize, heading: this.random() * 2 * Math.PI };
      this.world.add(id, { ...npc, ...this.radii(), tags: TAGS.npc });
      this.npcs.push(npc);
    }
  }

  radii() {
    return { viewRadius: this.config.viewRadius, leaveRadius: this.config.leaveRadius };
  }

  clamp(value) {
    return Math.min(this.config.mapSize, Math.max(0, value));
  }

  /** A new player at (x, y) (clamped), or at a random place when either is missing. Returns its entity id. */
  addPlayer({ name, x, y, traceparent }) {
    const id = this.nextPlayerId++;
    const size = this.config.mapSize;
    const at = {
      x: this.clamp(Number.isFinite(x) ? x : this.playerRandom() * size),
      y: this.clamp(Number.isFinite(y) ? y : this.playerRandom() * size),
    };
    this.recorder.beginMessage('join', { entity: id, traceparent });
    this.world.add(id, { ...at, ...this.radii(), tags: TAGS.player });
    this.recorder.endMessage();
    this.players.set(id, { id, name, traceparent, ...at, lastMoveAt: performance.now() });
    return { id, ...at };
  }

  /**
   * Moves a player toward (x, y): clamped to the map and to the distance its speed allows since its last move
   * (at most half a second's worth, so an idle player cannot bank a teleport).
   */
  movePlayer(id, x, y) {
    const player = this.players.get(id);
    if (!player || !Number.isFinite(x) || !Number.isFinite(y)) return false;
    const now = performance.now();
    const seconds = Math.min(0.5, Math.max(this.config.tickMs, now - player.lastMoveAt) / 1000);
    const reach = this.config.maxSpeed * seconds;
    let dx = this.clamp(x) - player.x;
    let dy = this.clamp(y) - player.y;
    const distance = Math.hypot(dx, dy);
    if (distance > reach) {
      dx *= reach / distance;
      dy *= reach / distance;
    }
    player.x += dx;
    player.y += dy;
    player.lastMoveAt = now;
    this.recorder.beginMessage('move', { entity: id, traceparent: player.traceparent });
    this.world.move(id, player.x, player.y);
    this.recorder.endMessage();
    return true;
  }

  removePlayer(id) {
    if (!this.players.delete(id)) return;
    this.recorder.beginMessage('leave-game', { entity: id });
    this.world.remove(id);
    this.recorder.endMessage();
  }

  wander() {
    const step = (this.config.npcSpeed * this.config.tickMs) / 1000;
    const size = this.config.mapSize;
    for (const npc of this.npcs) {
      npc.heading += (this.random() - 0.5) * 0.8;
      let x = npc.x + Math.cos(npc.heading) * step;
      let y = npc.y + Math.sin(npc.heading) * step;
      // Bounce off the walls by turning around.
      if (x < 0 || x > size || y < 0 || y > size) {
        npc.heading += Math.PI;
        x = this.clamp(x);
        y = this.clamp(y);
      }
      npc.x = x;
      npc.y = y;
      this.world.move(npc.id, x, y);
    }
  }

  /** One game tick: NPCs wander, the world computes and records; returns each player's view changes. */
  tick() {
    this.wander();
    const batch = this.recorder.tick();
    this.ticks += 1;
    this.events += batch.count;
    const changes = new Map();
    for (let i = 0; i < batch.count; i++) {
      const watcher = batch.watchers[i];
      if (!this.players.has(watcher)) continue;
      let change = changes.get(watcher);
      if (!change) {
        change = { enter: [], leave: [] };
        changes.set(watcher, change);
      }
      if (batch.kinds[i] === EventKind.Enter) change.enter.push(batch.targets[i]);
      else if (batch.kinds[i] === EventKind.Leave) change.leave.push(batch.targets[i]);
    }
    return changes;
  }

  /** What player `id` is sent this tick: its position, its enters and leaves, and where everything it sees is. */
  viewMessage(id, change) {
    const player = this.players.get(id);
    const seen = this.world.viewOf(id).map((target) => {
      const at = this.world.position(target);
      return [target, round1(at.x), round1(at.y)];
    });
    return {
      type: 'tick',
      tick: this.ticks,
      self: [round1(player.x), round1(player.y)],
      enter: change?.enter ?? [],
      leave: change?.leave ?? [],
      seen,
    };
  }

  close() {
    this.recorder.close();
  }
}
