import type { PlatformStatusResult } from '@lanes/core';
import { describe, expect, it } from 'vitest';
import { renderPlatformStatus } from './render-status.js';

function status(leaks: PlatformStatusResult['leaks']): PlatformStatusResult {
  return {
    type: 'platform',
    project: 'shop',
    env: 'dev',
    platform: { running: true, url: 'http://127.0.0.1:8080', adminUrl: 'http://127.0.0.1:9901' },
    lanes: [],
    leaks,
  };
}

describe('renderPlatformStatus', () => {
  it('lists the lane leaks under the lanes, with the call where each chain left its lane', () => {
    const text = renderPlatformStatus(
      status([
        { from: 'orders', to: 'payments', lane: 'gray', count: 3 },
        { from: 'cart', to: 'orders', lane: 'pr-7', count: 1 },
      ]),
    );
    const lines = text.split('\n');
    const heading = lines.findIndex((line) => line.startsWith('lane leaks'));
    expect(heading).toBeGreaterThan(0);
    expect(lines.slice(heading + 1, heading + 3)).toEqual([
      '  gray: orders -> payments: 3 traces (orders called without the lane)',
      '  pr-7: cart -> orders: 1 trace (cart called without the lane)',
    ]);
  });

  it('says nothing about leaks when there are none', () => {
    expect(renderPlatformStatus(status([]))).not.toContain('leak');
  });

  it("names the gateway engine's restarts and state, and says nothing while it never restarted", () => {
    const engine = { engine: 'nginx', state: 'running', pid: 42, restarts: 0 };
    const quiet = { ...status([]), platform: { ...status([]).platform, engine } };
    expect(renderPlatformStatus(quiet)).not.toContain('gateway engine');
    const restarted = {
      ...quiet,
      platform: {
        ...quiet.platform,
        engine: { ...engine, state: 'restarting', restarts: 2, lastExit: { code: null, signal: 'SIGKILL', at: 1 } },
      },
    };
    expect(renderPlatformStatus(restarted).split('\n')[1]).toBe(
      'gateway engine nginx: restarting (pid 42), 2 restart(s), last exit code null signal SIGKILL',
    );
  });
});
