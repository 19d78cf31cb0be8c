import { describe, expect, it } from 'vitest';
import { parsePrometheusText, parseSampleLine } from './prometheus-text.js';

describe('parseSampleLine', () => {
  it('reads a name, labels, a value and an optional timestamp', () => {
    expect(parseSampleLine('app_requests_total 12')).toEqual({ name: 'app_requests_total', labels: {}, value: 12 });
    expect(parseSampleLine('http_total{code="200",method="GET"} 3.5e2 1700000000000')).toEqual({
      name: 'http_total',
      labels: { code: '200', method: 'GET' },
      value: 350,
    });
    expect(parseSampleLine('a:b{ x = "1" , } -2')).toEqual({ name: 'a:b', labels: { x: '1' }, value: -2 });
    expect(parseSampleLine('empty{} 0')).toEqual({ name: 'empty', labels: {}, value: 0 });
  });

  it('unescapes label values, which may hold braces, commas and spaces', () => {
    const sample = parseSampleLine(String.raw`x{path="/a}b, c",quote="say \"hi\"",slash="a\\b",nl="1\n2"} 1`);
    expect(sample).toEqual({
      name: 'x',
      labels: { path: '/a}b, c', quote: 'say "hi"', slash: 'a\\b', nl: '1\n2' },
      value: 1,
    });
  });

  it('takes NaN and the infinities as Prometheus writes them', () => {
    expect(parseSampleLine('a NaN')).toMatchObject({ value: Number.NaN });
    expect(parseSampleLine('a +Inf')).toMatchObject({ value: Number.POSITIVE_INFINITY });
    expect(parseSampleLine('a -Inf')).toMatchObject({ value: Number.NEGATIVE_INFINITY });
    expect(parseSampleLine('a inf')).toMatchObject({ value: Number.POSITIVE_INFINITY });
  });

  it.each([
    ['no value', 'a_total', 'expected a number after a_total'],
    ['a word for a value', 'a_total many', 'got "many"'],
    ['a name with a dash', 'app-errors 1', 'got "-errors"'],
    ['a name starting with a digit', '5xx 1', 'expected a metric name'],
    ['an unterminated label set', 'a{x="1" 2', 'expected "," or "}" after label x'],
    ['an unquoted label value', 'a{x=1} 2', 'expected a quoted value for label x'],
    ['a bad escape', String.raw`a{x="\q"} 2`, 'expected a quoted value for label x'],
    ['a label without "="', 'a{x} 2', 'expected "=" after label x'],
    ['a bad timestamp', 'a 1 soon', 'expected a timestamp'],
    ['text after the timestamp', 'a 1 2 3', 'unexpected text'],
  ])('says why %s is not a sample', (_name, line, reason) => {
    expect(parseSampleLine(line)).toContain(reason);
  });
});

describe('parsePrometheusText', () => {
  it('sums each name over its labels and skips comments and blank lines', () => {
    const text = [
      '# HELP app_bad_total Bad things.',
      '# TYPE app_bad_total counter',
      'app_bad_total{kind="a"} 2',
      'app_bad_total{kind="b"} 3',
      '',
      '#  a free comment',
      'app_requests_total 10',
      'app_requests_total_created 1.7e9',
    ].join('\r\n');
    const { totals, problems } = parsePrometheusText(text);
    expect(Object.fromEntries(totals)).toEqual({
      app_bad_total: 5,
      app_requests_total: 10,
      app_requests_total_created: 1.7e9,
    });
    expect(problems).toEqual([]);
  });

  it('reports bad lines by number and still reads the good ones', () => {
    const { totals, problems } = parsePrometheusText('good 1\nnot a sample\ngood 2\nbad{ 1\n');
    expect(totals.get('good')).toBe(3);
    expect(problems.map((p) => p.line)).toEqual([2, 4]);
    expect(problems[0]!.reason).toContain('got "a"');
  });

  it('carries NaN and Inf into the sum, for the caller to judge', () => {
    expect(parsePrometheusText('x 1\nx NaN').totals.get('x')).toBeNaN();
    expect(parsePrometheusText('x 1\nx +Inf').totals.get('x')).toBe(Number.POSITIVE_INFINITY);
  });

  it('reads nothing from an empty answer', () => {
    expect(parsePrometheusText('').totals.size).toBe(0);
  });
});
