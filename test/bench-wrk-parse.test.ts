// The gateway benchmark's numbers all come through this parser (bench/gateway/wrk-parse.js); a misread unit
// would skew every ratio in docs/benchmarks.md, so it is held to output captured from wrk 4.1.0 on this machine.
import { describe, expect, it } from 'vitest';
import { parseWrkOutput, parseWrkTime } from '../bench/gateway/wrk-parse.js';

// `wrk -t1 -c64 -d2s --latency -s alternate-lanes.lua` against one upstream: a clean run.
const cleanRun = `Running 2s test @ http://127.0.0.1:45867/
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.67ms   11.24ms 157.89ms   97.55%
    Req/Sec    59.39k    17.71k   70.42k    85.00%
  Latency Distribution
     50%    0.92ms
     75%    1.07ms
     90%    1.77ms
     99%   67.24ms
  118088 requests in 2.00s, 27.82MB read
Requests/sec:  58907.10
Transfer/sec:     13.88MB
`;

// Against a server that resets every 50th connection and answers 503 to every 3rd request.
const errorRun = `Running 1s test @ http://127.0.0.1:39547/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02ms  822.93us  10.31ms   66.15%
    Req/Sec     5.38k   630.00     6.28k    50.00%
  Latency Distribution
     50%    1.25ms
     75%    1.41ms
     90%    1.73ms
     99%    3.60ms
  5357 requests in 1.00s, 711.56KB read
  Socket errors: connect 0, read 109, write 0, timeout 0
  Non-2xx or 3xx responses: 1788
Requests/sec:   5345.87
Transfer/sec:    710.08KB
`;

describe('parseWrkTime', () => {
  it('converts every unit wrk prints to milliseconds', () => {
    expect(parseWrkTime('822.93us')).toBeCloseTo(0.82293, 6);
    expect(parseWrkTime('1.25ms')).toBe(1.25);
    expect(parseWrkTime('2.00s')).toBe(2000);
    expect(parseWrkTime('1.50m')).toBe(90_000);
    expect(parseWrkTime('1.00h')).toBe(3_600_000);
  });

  it('rejects a value without a unit instead of guessing one', () => {
    expect(() => parseWrkTime('630.00')).toThrow(/Not a wrk time: '630.00'/);
  });
});

describe('parseWrkOutput', () => {
  it('reads totals, rate and percentiles from a clean run', () => {
    const result = parseWrkOutput(cleanRun);
    expect(result.requests).toBe(118088);
    expect(result.durationSeconds).toBe(2);
    expect(result.requestsPerSecond).toBe(58907.1);
    expect(result.latencyMs).toEqual({ p50: 0.92, p75: 1.07, p90: 1.77, p99: 67.24 });
    expect(result.latencySummaryMs).toEqual({ avg: 2.67, stdev: 11.24, max: 157.89 });
    expect(result.socketErrors).toEqual({ connect: 0, read: 0, write: 0, timeout: 0 });
    expect(result.non2xx3xx).toBe(0);
  });

  it('reads socket errors, non-2xx counts and a microsecond stdev', () => {
    const result = parseWrkOutput(errorRun);
    expect(result.socketErrors).toEqual({ connect: 0, read: 109, write: 0, timeout: 0 });
    expect(result.non2xx3xx).toBe(1788);
    expect(result.latencySummaryMs.stdev).toBeCloseTo(0.82293, 6);
    expect(result.latencyMs.p99).toBe(3.6);
  });

  it('asks for --latency when the distribution block is missing', () => {
    const withoutLatency = cleanRun.replace(/ {2}Latency Distribution[\s\S]*?(?= {2}118088)/, '');
    expect(() => parseWrkOutput(withoutLatency)).toThrow(/run wrk with --latency/);
  });

  it('fails loudly on output that is not from wrk', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused\n')).toThrow(/requests in/);
  });
});
