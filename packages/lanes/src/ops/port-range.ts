import { emit } from '../io-host.js';
import {
  EPHEMERAL_PORT_RANGE_FILE,
  type EphemeralRangeSource,
  readEphemeralPortRange,
  sharedPorts,
} from '../local/ephemeral-ports.js';
import type { OpsContext } from './context.js';

/** The local ports replicas get unless LANES_PORT_RANGE says otherwise: below Linux's default ephemeral range. */
export const DEFAULT_PORT_RANGE: readonly [number, number] = [20000, 29999];

/** The ports replicas of this context are given. */
export function replicaPortRange(ctx: Pick<OpsContext, 'portRange'>): readonly [number, number] {
  return ctx.portRange ?? DEFAULT_PORT_RANGE;
}

/**
 * Warns (PORT_RANGE_EPHEMERAL) when the replica port range overlaps the kernel's ephemeral range. A connect to a
 * port there where nothing listens yet (a replica starting) can be given that same port as its source and connect
 * to itself (TCP simultaneous open): the health check then reads its own request back instead of being refused.
 * Nothing is said where the kernel's range cannot be read (not Linux, no /proc).
 */
export function warnIfPortRangeEphemeral(
  ctx: Pick<OpsContext, 'io' | 'portRange'>,
  source: EphemeralRangeSource = {},
): void {
  const ephemeral = readEphemeralPortRange(source);
  if (ephemeral === undefined) return;
  const range = replicaPortRange(ctx);
  const shared = sharedPorts(range, ephemeral);
  if (shared === undefined) return;
  const span = ([first, last]: readonly [number, number]) => `${first}-${last}`;
  const given = ctx.portRange === undefined ? 'the default replica port range' : 'LANES_PORT_RANGE';
  const message =
    `${given} ${span(range)} overlaps the kernel's ephemeral ports ${span(ephemeral)} (${source.file ?? EPHEMERAL_PORT_RANGE_FILE}) ` +
    `in ${span(shared)}: a health check of a replica not listening yet can connect to itself and read its own request; ` +
    `set LANES_PORT_RANGE to ports outside ${span(ephemeral)}`;
  emit(ctx.io, 'PORT_RANGE_EPHEMERAL', message, {
    level: 'warn',
    data: { range: [...range], ephemeral, shared },
  });
}
