// The arena's settings, all from the environment: the platform gives identity (lane, revision, replica) and the
// lane's run.env gives the AOI configuration, so two lanes of one build differ only by what lanes.json says.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function number(env, name, fallback, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name}=${raw}: expected a number from ${min} to ${max}`);
  }
  return value;
}

/** Reads the arena's configuration from `env` (process.env by default); throws on a value it cannot use. */
export function readConfig(env = process.env) {
  const lane = env.LANES_LANE ?? 'default';
  const revision = env.LANES_REVISION ?? '0';
  const replicaId = env.LANES_REPLICA_ID ?? `pid${process.pid}`;
  const viewRadius = number(env, 'AOI_VIEW_RADIUS', 60, { min: 1, max: 10_000 });
  const leaveRadius = number(env, 'AOI_LEAVE_RADIUS', viewRadius, { min: viewRadius, max: 10_000 });
  // Outside the platform there is no state folder: traces go to the system temp folder.
  const traceRoot = env.LANES_STATE_DIR ? join(env.LANES_STATE_DIR, 'traces') : join(tmpdir(), 'arena-traces');
  return {
    port: number(env, 'PORT', 4201, { max: 65_535 }),
    lane,
    revision,
    replicaId,
    version: env.VERSION ?? '1.0.0',
    gatewayUrl: env.LANES_GATEWAY_URL ?? null,
    viewRadius,
    leaveRadius,
    // The engine's cell edge, fixed so the trace header can carry it (the viewer's occupancy layer counts per cell
    // with it). The default fits the grid's neighbour reach (leave radius + its 25% skin) in one cell.
    cellSize: number(env, 'AOI_CELL_SIZE', Math.ceil(leaveRadius * 1.25) + 1, { min: 1, max: 100_000 }),
    mapSize: number(env, 'ARENA_MAP_SIZE', 400, { min: 10, max: 100_000 }),
    npcs: number(env, 'ARENA_NPCS', 24, { max: 10_000 }),
    npcSpeed: number(env, 'ARENA_NPC_SPEED', 20, { max: 10_000 }),
    maxSpeed: number(env, 'ARENA_MAX_SPEED', 60, { min: 1, max: 100_000 }),
    tickMs: number(env, 'ARENA_TICK_MS', 100, { min: 10, max: 10_000 }),
    seed: number(env, 'ARENA_SEED', 1, { max: 2 ** 32 - 1 }),
    // Under the platform's 5 s between SIGTERM and SIGKILL, so the trace is always closed by us.
    drainTimeoutMs: number(env, 'ARENA_DRAIN_TIMEOUT_MS', 4000, { max: 4500 }),
    traceFile: join(traceRoot, 'arena', lane, `r${revision}-${replicaId}.aoitrace`),
  };
}
