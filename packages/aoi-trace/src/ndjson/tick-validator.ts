import { TraceError, TraceErrorCode } from '../errors.js';
import { stateAsTick } from '../model/state-as-tick.js';
import type { TickRecord, TraceHeader } from '../model/types.js';
import { type TickErrorDetails, type ValidateOptions, validateTick } from '../model/validate-tick.js';
import { WorldState } from '../model/world-state.js';

/**
 * A trace being read or received: the world so far, and the rules a next tick must pass. Check, then apply, so a
 * bad tick never changes anything. Adds one rule validateTick cannot see from a WorldState: event ids never
 * overlap (`eventBase` >= the previous tick's eventBase + event count).
 */
export class TickValidator {
  readonly state = new WorldState();
  /** The id the next event would get: the smallest valid eventBase. */
  nextEventId = 0;

  constructor(
    readonly header: TraceHeader,
    private readonly options: ValidateOptions = {},
  ) {}

  /** Why `record` cannot come next (with `line` in the details when given), or undefined. */
  check(record: TickRecord, line?: number): TraceError | undefined {
    const error =
      this.checkResync(record) ?? validateTick(record.resync?.state ?? this.state, this.header, record, this.options);
    if (error !== undefined) return line === undefined ? error : withLine(error, line);
    if (record.eventBase < this.nextEventId) {
      const reason = `eventBase ${record.eventBase} overlaps the previous tick's events; it must be >= ${this.nextEventId}.`;
      const error = new TraceError(TraceErrorCode.InvalidRecord, `tick ${record.tick}: $.eventBase: ${reason}`, {
        tick: record.tick,
        path: '$.eventBase',
      });
      return line === undefined ? error : withLine(error, line);
    }
    return undefined;
  }

  /** A resync must go forward, and its world must be one a tick could build (every spawn and view pair valid). */
  private checkResync(record: TickRecord): TraceError | undefined {
    const state = record.resync?.state;
    if (state === undefined) return undefined;
    if (state.tick <= this.state.tick || state.tick >= record.tick) {
      return new TraceError(
        TraceErrorCode.InvalidRecord,
        `tick ${record.tick}: $.resync.tick: ${state.tick} must be after tick ${this.state.tick} and before tick ${record.tick}.`,
        { tick: record.tick, path: '$.resync.tick' },
      );
    }
    const error = validateTick(new WorldState(), this.header, stateAsTick(state), this.options);
    if (error === undefined) return undefined;
    const path = `$.resync${
      error.details.path
        ?.slice(1)
        .replace('spawns', 'entities')
        .replace(/events\[\d+\]/, 'views') ?? ''
    }`;
    return new TraceError(
      error.code,
      `tick ${record.tick}: ${path}: resync state: ${error.message.replace(/^.*?: \$\S*: /, '')}`,
      {
        ...error.details,
        tick: record.tick,
        path,
      },
    );
  }

  /** Applies a record that {@link check} accepted. */
  apply(record: TickRecord): void {
    this.state.apply(record);
    this.nextEventId = record.eventBase + record.events.count;
  }
}

function withLine(error: TraceError, line: number): TraceError {
  const details: TickErrorDetails = { ...error.details, line };
  return new TraceError(error.code, `line ${line}: ${error.message}`, details);
}
