import { describe, expect, it } from 'vitest';
import { interleaveByTime, lineTime } from './log-time.js';

describe('lineTime', () => {
  it('reads a leading ISO date-time and the time of a JSON line', () => {
    expect(lineTime('2026-12-06T17:49:31.123Z [lanes] starting')).toBe(Date.parse('2026-12-06T17:49:31.123Z'));
    expect(lineTime('2026-12-06 17:49:31+01:00 hello')).toBe(Date.parse('2026-12-06T17:49:31+01:00'));
    expect(lineTime('{"level":30,"time":1765043371000,"msg":"x"}')).toBe(1765043371000);
    expect(lineTime('{"timestamp":"2026-12-06T17:49:31Z"}')).toBe(Date.parse('2026-12-06T17:49:31Z'));
  });

  it('says nothing for a line without a time', () => {
    for (const line of ['listening on 4000', '    at main (x.js:1:1)', '{"msg":"no time"}', '{not json', '2026-12-06'])
      expect(lineTime(line), line).toBeUndefined();
  });
});

describe('interleaveByTime', () => {
  it('interleaves replicas by time and keeps an untimed line under the line before it', () => {
    const merged = interleaveByTime([
      { source: '1', lines: ['2026-01-01T00:00:01Z a1', 'trace of a1', '2026-01-01T00:00:03Z a3'], modifiedMs: 0 },
      { source: '2', lines: ['untimed top', '2026-01-01T00:00:02Z b2', '2026-01-01T00:00:03Z b3'], modifiedMs: 0 },
    ]);
    expect(merged.map((l) => `${l.source}:${l.line.replace(/^\d\S+ /, '')}`)).toEqual([
      '1:a1',
      '1:trace of a1',
      '2:untimed top',
      '2:b2',
      '1:a3',
      '2:b3',
    ]);
  });

  it("gives a file without any time its last change's time", () => {
    const merged = interleaveByTime([
      { source: '1', lines: ['x', 'y'], modifiedMs: Date.parse('2026-01-01T00:00:05Z') },
      { source: '2', lines: ['2026-01-01T00:00:04Z z'], modifiedMs: 0 },
    ]);
    expect(merged.map((l) => l.line)).toEqual(['2026-01-01T00:00:04Z z', 'x', 'y']);
  });
});
