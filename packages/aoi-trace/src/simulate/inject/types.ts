import type { Geometry } from './geometry.js';

export const INJECTION_KINDS = [
  'torn-view',
  'missing-leave',
  'delayed-broadcast',
  'race',
  'oscillation',
  'flat-leave',
] as const;
export type InjectionKind = (typeof INJECTION_KINDS)[number];

/** One visibility event on its way to the sink; `tick` is the tick the engine produced it in. */
export interface PendingEvent {
  kind: number;
  watcher: number;
  target: number;
  tick: number;
}

/**
 * One injected fault. `tick` is when the correct event was due (or, for oscillation, when the spurious event was
 * emitted); `event` is the kind of the event that was dropped, delayed or added.
 */
export interface Injection {
  kind: InjectionKind;
  tick: number;
  watcher: number;
  target: number;
  event: 'enter' | 'exit';
  /** delayed-broadcast: the tick the event was finally delivered in. */
  deliveredTick?: number;
}

export interface InjectContext {
  tick: number;
  /** The last recorded tick: held events are released, no new faults start. */
  last: boolean;
  despawned: ReadonlySet<number>;
  geometry: Geometry;
}

export interface EventInjector {
  process(events: PendingEvent[], context: InjectContext): PendingEvent[];
}

/** Exact counts per kind and the first `cap` injections. */
export class InjectionLog {
  readonly counts: Record<InjectionKind, number> = {
    'torn-view': 0,
    'missing-leave': 0,
    'delayed-broadcast': 0,
    race: 0,
    oscillation: 0,
    'flat-leave': 0,
  };
  readonly list: Injection[] = [];
  constructor(private readonly cap: number) {}

  add(kind: InjectionKind, event: PendingEvent, extra: Partial<Injection> = {}): void {
    this.counts[kind]++;
    if (this.list.length >= this.cap) return;
    this.list.push({
      kind,
      tick: event.tick,
      watcher: event.watcher,
      target: event.target,
      event: event.kind === 0 ? 'enter' : 'exit',
      ...extra,
    });
  }

  get truncated(): boolean {
    let total = 0;
    for (const kind of INJECTION_KINDS) total += this.counts[kind];
    return total > this.list.length;
  }
}

export const pairKey = (watcher: number, target: number) => `${watcher}:${target}`;
