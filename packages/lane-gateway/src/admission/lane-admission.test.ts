import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { AdmissionConfig } from '../config-types.js';
import { LaneAdmission } from './lane-admission.js';

/** The two parts of a request admission reads: the socket peer and the headers. */
function request(remoteAddress: string, headers: IncomingHttpHeaders): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

function admission(config: Partial<AdmissionConfig>): LaneAdmission {
  const full = { trusted: ['10.0.0.0/8'], trustedHops: 0, openLanes: ['default'], ...config };
  return new LaneAdmission(full, ['tracestate', 'baggage'], false);
}

describe('LaneAdmission', () => {
  it('trusts an IPv4-mapped IPv6 peer inside an IPv4 range', () => {
    const a = admission({});
    expect(a.isTrusted(request('::ffff:10.2.3.4', {}))).toBe(true);
    expect(a.isTrusted(request('::ffff:127.0.0.1', {}))).toBe(false);
  });

  it('with trustedHops reads X-Forwarded-For only behind a trusted peer', () => {
    const a = admission({ trustedHops: 2 });
    // Two proxies: the client is the second address from the right.
    expect(a.isTrusted(request('10.0.0.1', { 'x-forwarded-for': '198.51.100.1, 10.0.0.9, 10.0.0.2' }))).toBe(true);
    expect(a.isTrusted(request('10.0.0.1', { 'x-forwarded-for': '10.0.0.9, 198.51.100.1, 10.0.0.2' }))).toBe(false);
    // Fewer entries than hops: the leftmost, which a trusted proxy wrote.
    expect(a.isTrusted(request('10.0.0.1', { 'x-forwarded-for': '10.0.0.9' }))).toBe(true);
    expect(a.isTrusted(request('10.0.0.1', { 'x-forwarded-for': ' 198.51.100.1 ' }))).toBe(false);
    expect(a.isTrusted(request('10.0.0.1', { 'x-forwarded-for': '' }))).toBe(false);
    // An untrusted peer gains nothing from the header.
    expect(a.isTrusted(request('198.51.100.1', { 'x-forwarded-for': '10.0.0.9, 10.0.0.2' }))).toBe(false);
  });

  it('leaves a request without a lane member exactly as it was', () => {
    const headers = { tracestate: 'rojo=00f067aa0ba902b7', baggage: 'user=1,lane-token=x' };
    const req = request('198.51.100.1', headers);
    expect(admission({}).check(req)).toBeUndefined();
    expect(req.headers).toBe(headers);
    expect(headers).toEqual({ tracestate: 'rojo=00f067aa0ba902b7', baggage: 'user=1,lane-token=x' });
  });

  it('strips an untrusted tag from both carriers and drops a header left empty', () => {
    const req = request('198.51.100.1', { tracestate: 'ctx=lane:gray', baggage: 'a=1,lane=gray' });
    expect(admission({}).check(req)).toEqual({ lane: 'gray', reason: 'untrusted' });
    expect(req.headers).toEqual({ baggage: 'a=1' });
  });

  it('keeps a trusted tag, and an untrusted tag for an open lane', () => {
    const trusted = request('10.0.0.1', { tracestate: 'ctx=lane:gray' });
    expect(admission({}).check(trusted)).toBeUndefined();
    expect(trusted.headers.tracestate).toBe('ctx=lane:gray');
    const open = request('198.51.100.1', { baggage: 'lane=dem%6F' });
    expect(admission({ openLanes: ['demo'] }).check(open)).toBeUndefined();
    expect(open.headers.baggage).toBe('lane=dem%6F');
  });

  it('strips badly encoded baggage lanes for every client, an invalid tag only for outsiders', () => {
    const trusted = request('10.0.0.1', { baggage: 'lane=gr%zzy,k=v' });
    expect(admission({}).check(trusted)).toEqual({ lane: undefined, reason: 'bad-encoding' });
    expect(trusted.headers.baggage).toBe('k=v');
    const invalid = request('198.51.100.1', { tracestate: 'ctx=lane:GRAY' });
    expect(admission({}).check(invalid)).toEqual({ lane: undefined, reason: 'invalid-tag' });
    expect(invalid.headers.tracestate).toBeUndefined();
  });

  it('leaves an admitted outsider no other lane in the other carrier', () => {
    const other = request('198.51.100.1', { tracestate: 'ctx=lane:demo', baggage: 'lane=gray,k=v' });
    expect(admission({ openLanes: ['demo'] }).check(other)).toBeUndefined();
    expect(other.headers).toEqual({ tracestate: 'ctx=lane:demo', baggage: 'k=v' });
    const same = request('198.51.100.1', { tracestate: 'ctx=lane:demo', baggage: 'lane=demo,k=v' });
    expect(admission({ openLanes: ['demo'] }).check(same)).toBeUndefined();
    expect(same.headers).toEqual({ tracestate: 'ctx=lane:demo', baggage: 'lane=demo,k=v' });
  });
});
