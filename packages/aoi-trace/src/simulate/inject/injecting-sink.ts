import { emptyEvents, pushEvent } from '../../model/columns.js';
import type { CauseMessage, TickRecord, TraceHeader, TraceSink } from '../../model/types.js';
import { mulberry32, randomHex } from '../mulberry32.js';
import type { ResolvedInjections } from '../options.js';
import { DelayedBroadcastInjector } from './delayed-broadcast.js';
import { FlatLeaveInjector } from './flat-leave.js';
import { Geometry } from './geometry.js';
import { OscillationInjector } from './oscillation.js';
import { RaceInjector } from './race.js';
import { TornViewInjector } from './torn-view.js';
import { type EventInjector, InjectionLog, type PendingEvent } from './types.js';

/**
 * Sits between the recorder and the real sink: turns the engine's correct events into a buggy server's, and gives
 * messages span ids drawn from the seed (the recorder's are random) so that a run is reproducible byte for byte.
 */
export class InjectingSink implements TraceSink {
  readonly log: InjectionLog;
  private readonly injectors: EventInjector[] = [];
  private readonly geometry = new Geometry();
  private readonly spanRnd: () => number;
  private readonly events = emptyEvents(1024);
  /** Events the engine produced, before injection. */
  engineEvents = 0;
  /** Events written to the sink. */
  recordedEvents = 0;

  constructor(
    private readonly sink: TraceSink,
    inject: ResolvedInjections,
    private readonly lastTick: number,
    listed: number,
  ) {
    this.log = new InjectionLog(listed);
    this.spanRnd = mulberry32(inject.seed ^ 0x5ba2);
    const { seed } = inject;
    if (inject.race) this.injectors.push(new RaceInjector(inject.race.rate, seed, this.log));
    if (inject.tornView) this.injectors.push(new TornViewInjector(inject.tornView.rate, seed, this.log));
    if (inject.flatLeave) this.injectors.push(new FlatLeaveInjector(inject.flatLeave.rate, seed, this.log));
    if (inject.oscillation) {
      const { rate, flips } = inject.oscillation;
      this.injectors.push(new OscillationInjector(rate, flips, lastTick, seed, this.log));
    }
    if (inject.delayedBroadcast) {
      const { rate, ticks } = inject.delayedBroadcast;
      this.injectors.push(new DelayedBroadcastInjector(rate, ticks, seed, this.log));
    }
  }

  begin(header: TraceHeader): void {
    this.sink.begin(header);
  }

  writeTick(record: TickRecord): void {
    this.engineEvents += record.events.count;
    const messages = record.messages.map(
      (m): CauseMessage => ({ ...m, span: { traceId: m.span.traceId, spanId: randomHex(this.spanRnd, 16) } }),
    );
    if (this.injectors.length === 0) {
      this.sink.writeTick({ ...record, messages });
      this.recordedEvents += record.events.count;
      return;
    }
    this.geometry.apply(record);
    const source = record.events;
    let pending: PendingEvent[] = [];
    for (let i = 0; i < source.count; i++) {
      pending.push({
        kind: source.kinds[i]!,
        watcher: source.watchers[i]!,
        target: source.targets[i]!,
        tick: record.tick,
      });
    }
    const context = {
      tick: record.tick,
      last: record.tick >= this.lastTick,
      despawned: new Set(record.despawns),
      geometry: this.geometry,
    };
    for (const injector of this.injectors) pending = injector.process(pending, context);
    const events = this.events;
    events.count = 0;
    for (const e of pending) pushEvent(events, e.kind, e.watcher, e.target);
    this.sink.writeTick({ ...record, messages, events, eventBase: this.recordedEvents });
    this.recordedEvents += events.count;
  }
}
