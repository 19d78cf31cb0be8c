import { renderLeakMetrics, renderPrometheus } from '@lanes/gateway';
import { describe, expect, it } from 'vitest';
import { parseGatewayMetrics, parseLaneLeaks } from './gateway-metrics.js';

describe('parseLaneLeaks', () => {
  it("reads the gateway's lane-leak counters, most first, and leaves the per-lane traffic alone", () => {
    const text =
      renderPrometheus([], []) +
      renderLeakMetrics([
        { from: 'orders', to: 'payments', lane: 'gray', count: 2 },
        { from: 'cart', to: 'orders', lane: 'pr-7', count: 5 },
        { from: 'cart', to: 'stock', lane: 'gray', count: 0 },
      ]);
    expect(parseLaneLeaks(text)).toEqual([
      { from: 'cart', to: 'orders', lane: 'pr-7', count: 5 },
      { from: 'orders', to: 'payments', lane: 'gray', count: 2 },
    ]);
    expect(parseGatewayMetrics(text).size).toBe(0);
  });

  it('finds none in metrics without leaks', () => {
    expect(parseLaneLeaks(renderLeakMetrics([]))).toEqual([]);
    expect(parseLaneLeaks('')).toEqual([]);
  });
});
