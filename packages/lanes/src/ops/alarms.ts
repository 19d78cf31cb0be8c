import type { SampleRecord } from '../state/types.js';

/** The seed's alarms for a lane, evaluated on the supervisor's samples (newest first). */
export const ALARMS = {
  highErrorRate: 'HIGH_5XX_RATE',
  belowDesired: 'RUNNING_BELOW_DESIRED',
  noHealthy: 'NO_HEALTHY_REPLICA',
  platformDown: 'PLATFORM_DOWN',
  /** Raised by the supervisor's crash-loop policy (crash-loop.ts), not by the samples. */
  crashLoop: 'CRASH_LOOP',
} as const;
export type AlarmCode = (typeof ALARMS)[keyof typeof ALARMS];

export interface Alarm {
  code: AlarmCode;
  message: string;
}

/** 5xx above 1% of requests, as the seed's TargetGroup 5XX alarm; below this many requests the rate means little. */
const ERROR_RATE_THRESHOLD = 0.01;
const MIN_REQUESTS = 20;
/** Samples in the error-rate window (the supervisor samples every 2 s: about a minute). */
const ERROR_WINDOW = 30;
/** "Running < desired 3 times in a row", as the seed's RunningTaskCount alarm. */
const BELOW_DESIRED_PERIODS = 3;

/** A lane's only alarm while `lanes up` is not running: its samples are from when it ran, and nothing serves it. */
export const PLATFORM_DOWN_ALARM: Alarm = {
  code: ALARMS.platformDown,
  message: 'the platform is not running: no gateway serves this lane and no supervisor watches it (lanes up)',
};

/**
 * `now.healthy`: the healthy replicas the gateway reports at this moment. It wins over the last sample's, which
 * may predate the gateway's first check of a new replica (status showed 1/1/1 next to NO_HEALTHY_REPLICA).
 */
export function evaluateAlarms(samples: readonly SampleRecord[], now: { healthy?: number | undefined } = {}): Alarm[] {
  const alarms: Alarm[] = [];
  const latest = samples[0];
  if (!latest) return alarms;
  const oldest = samples[Math.min(samples.length, ERROR_WINDOW) - 1] ?? latest;
  const requests = latest.requests - oldest.requests;
  const errors = latest.errors5xx - oldest.errors5xx;
  if (requests >= MIN_REQUESTS && errors / requests > ERROR_RATE_THRESHOLD) {
    const rate = Math.round((errors / requests) * 1000) / 10;
    alarms.push({
      code: ALARMS.highErrorRate,
      message: `5xx at ${rate}% of ${requests} recent requests (threshold 1%)`,
    });
  }
  const recent = samples.slice(0, BELOW_DESIRED_PERIODS);
  if (recent.length === BELOW_DESIRED_PERIODS && recent.every((s) => s.running < s.desired)) {
    alarms.push({
      code: ALARMS.belowDesired,
      message: `running ${latest.running} < desired ${latest.desired} for ${BELOW_DESIRED_PERIODS} samples in a row`,
    });
  }
  if (latest.desired > 0 && (now.healthy ?? latest.healthy) === 0) {
    alarms.push({ code: ALARMS.noHealthy, message: 'no healthy replica' });
  }
  return alarms;
}
