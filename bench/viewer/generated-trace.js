// A synthetic trace computed on demand: every entity moves every tick, positions are a function of (id, tick), so
// any length costs no memory and stateAt() is O(entities). Same shape as what the .aoitrace reader gives.
import { emptyEvents, emptyMoves, WorldState } from '@lanes/aoi-trace';

/**
 * `height`: every entity also gets a z (five floors 10 apart) and a view half-height of 8 (docs/aoi.md,
 * "Height"), so the viewer's height modes can be measured on the same movements.
 * @param {number} entities
 * @param {number} ticks
 * @param {{ height?: boolean }} [options]
 */
export function generatedTrace(entities, ticks, { height = false } = {}) {
  const side = Math.sqrt(entities) * 20;
  const homeX = new Float64Array(entities);
  const homeY = new Float64Array(entities);
  for (let id = 0; id < entities; id++) {
    homeX[id] = (((id * 7919) % 1000) / 1000) * side;
    homeY[id] = (((id * 104729) % 1000) / 1000) * side;
  }
  /** @param {number} id @param {number} tick */
  const x = (id, tick) => Math.round((homeX[id] + 30 * Math.cos(tick * 0.05 + id)) * 1024) / 1024;
  /** @param {number} id @param {number} tick */
  const y = (id, tick) => Math.round((homeY[id] + 30 * Math.sin(tick * 0.05 + id)) * 1024) / 1024;
  const header = {
    source: `bench/viewer generated ${entities} x ${ticks}`,
    startTime: 1_700_000_000_000,
    regionSize: 64,
    quantum: 1 / 1024,
    epsilon: 0,
    tagNames: ['unit'],
    attributes: {},
  };
  const moves = emptyMoves(entities);
  const events = emptyEvents(0);
  /** @param {number} tick */
  const record = (tick) => {
    moves.count = tick === 0 ? 0 : entities;
    if (tick > 0) {
      for (let id = 0; id < entities; id++) {
        moves.ids[id] = id;
        moves.xs[id] = x(id, tick);
        moves.ys[id] = y(id, tick);
        moves.causes[id] = -1;
      }
    }
    const spawns = [];
    if (tick === 0) {
      for (let id = 0; id < entities; id++) {
        spawns.push({
          id,
          x: x(id, 0),
          y: y(id, 0),
          viewRadius: 10,
          leaveRadius: 12,
          watcher: true,
          marker: true,
          tags: ['unit'],
          cause: -1,
          ...(height ? { z: (id % 5) * 10, viewHeight: 8, leaveHeight: 10 } : {}),
        });
      }
    }
    return {
      tick,
      time: header.startTime + tick * 33,
      eventBase: 0,
      messages: [],
      spawns,
      updates: [],
      moves,
      despawns: [],
      events,
    };
  };
  return {
    header,
    firstTick: 0,
    lastTick: ticks - 1,
    /** @param {{ from?: number, to?: number }} [range] */
    *ticks(range = {}) {
      const from = Math.max(0, range.from ?? 0);
      const to = Math.min(ticks - 1, range.to ?? ticks - 1);
      for (let tick = from; tick <= to; tick++) yield record(tick);
    },
    /** @param {number} tick */
    stateAt(tick) {
      const t = Math.max(0, Math.min(ticks - 1, tick));
      const state = new WorldState();
      state.tick = t;
      state.time = header.startTime + t * 33;
      for (let id = 0; id < entities; id++) {
        state.entities.set(id, {
          id,
          x: x(id, t),
          y: y(id, t),
          viewRadius: 10,
          leaveRadius: 12,
          watcher: true,
          marker: true,
          tags: ['unit'],
          spawnTick: 0,
        });
      }
      return state;
    },
  };
}
