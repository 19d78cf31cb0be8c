import { PassThrough } from 'node:stream';
import type { LanesEvent } from '@lanes/core';
import { describe, expect, it } from 'vitest';
import { ProgressRenderer } from './progress-renderer.js';

const T0 = Date.parse('2026-12-06T18:00:00Z');
const lane = 'dev/api/gray';

function waiting(replica: number, afterMs: number, attempt: number, reason: string): LanesEvent {
  return {
    code: 'REPLICA_WAITING',
    level: 'debug',
    lane,
    message: `replica ${replica} of ${lane} not healthy yet after ${(afterMs / 1000).toFixed(1)}s of 45.0s (${attempt} checks; last: ${reason})`,
    data: { replica, afterMs, timeoutMs: 45_000, attempt, reason },
    time: T0 + afterMs,
  };
}

const healthy = (replica: number): LanesEvent => ({
  code: 'REPLICA_HEALTHY',
  level: 'info',
  lane,
  message: `replica ${replica} of ${lane} is healthy`,
  data: { replica },
  time: T0,
});

/** Feeds events as eventRenderer does: progress takes its own, the rest become lines. */
function render(tty: boolean, events: LanesEvent[], columns = 300): string {
  const out = Object.assign(new PassThrough(), { columns });
  let text = '';
  out.on('data', (chunk) => (text += chunk));
  const progress = new ProgressRenderer(out, { tty });
  for (const event of events) if (!progress.event(event)) progress.line(event.message);
  return text;
}

const refused = 'GET /healthz failed: ECONNREFUSED';
const answered = 'GET /healthz answered 503';

describe('progress of replicas waiting for their health check', () => {
  it('prints plain lines when not a terminal: first wait, a new reason, then every 5 s', () => {
    const text = render(false, [
      waiting(3, 100, 1, refused),
      waiting(3, 1100, 30, refused),
      waiting(3, 4900, 150, refused),
      waiting(3, 5200, 160, answered),
      waiting(3, 9000, 300, answered),
      waiting(3, 10_300, 340, answered),
      healthy(3),
    ]);
    expect(text.split('\n')).toEqual([
      `18:00:00 • replica 3 of ${lane} not healthy yet after 0.1s of 45.0s (1 checks; last: ${refused})`,
      `18:00:05 • replica 3 of ${lane} not healthy yet after 5.2s of 45.0s (160 checks; last: ${answered})`,
      `18:00:10 • replica 3 of ${lane} not healthy yet after 10.3s of 45.0s (340 checks; last: ${answered})`,
      `replica 3 of ${lane} is healthy`,
      '',
    ]);
  });

  it('rewrites one live line on a terminal, with other lines printed above it, and erases it when done', () => {
    const text = render(true, [waiting(3, 100, 1, refused), waiting(4, 200, 2, refused), healthy(3), healthy(4)]);
    const erase = '\r\x1b[2K';
    expect(text).toBe(
      [
        `${erase}waiting for replica 3 of ${lane} 0.1s/45.0s (1 checks: ${refused})`,
        `${erase}waiting for replica 3 of ${lane} 0.1s/45.0s (1 checks: ${refused}); replica 4 of ${lane} 0.2s/45.0s (2 checks: ${refused})`,
        `${erase}replica 3 of ${lane} is healthy\n`,
        `${erase}waiting for replica 4 of ${lane} 0.2s/45.0s (2 checks: ${refused})`,
        `${erase}replica 4 of ${lane} is healthy\n`,
      ].join(''),
    );
  });

  it('keeps the live line within the terminal width, so it can be rewritten in place', () => {
    const text = render(true, [waiting(3, 100, 1, refused)], 40);
    expect(text).toBe(`\r\x1b[2Kwaiting for replica 3 of dev/api/gray …`);
  });
});
