import { describe, expect, it } from 'vitest';
import { CidrList, cidrProblem } from './cidr-list.js';

describe('CidrList', () => {
  const list = new CidrList(['10.0.0.0/8', '192.168.1.0/24', '203.0.113.7', 'fc00::/7', '2001:db8:0:1::/64']);

  it.each([
    ['10.0.0.1', true],
    ['10.255.255.255', true],
    ['11.0.0.0', false],
    ['192.168.1.200', true],
    ['192.168.2.1', false],
    ['203.0.113.7', true],
    ['203.0.113.8', false],
    ['::ffff:10.1.2.3', true], // IPv4-mapped, as a dual-stack socket reports an IPv4 peer
    ['::FFFF:c0a8:0101', true],
    ['::ffff:11.1.2.3', false],
    ['fd12:3456::1', true],
    ['fe80::1', false],
    ['2001:db8:0:1:ffff::1', true],
    ['2001:db8:0:2::1', false],
    ['fd00::1%eth0', true],
    ['::1', false],
    ['', false],
    ['10.0.0', false],
    ['10.0.0.1.2', false],
    ['010.0.0.1', false],
    ['10.0.0.256', false],
    ['1:2:3:4:5:6:7:8:9', false],
    ['1::2::3', false],
    ['gg::1', false],
    ['not an address', false],
  ])('%s is inside: %s', (address, inside) => {
    expect(list.contains(address)).toBe(inside);
  });

  it('matches IPv6 loopback and the whole address space with /0', () => {
    expect(new CidrList(['::1/128']).contains('::1')).toBe(true);
    expect(new CidrList(['::1/128']).contains('::2')).toBe(false);
    expect(new CidrList(['0.0.0.0/0']).contains('198.51.100.1')).toBe(true);
    expect(new CidrList(['0.0.0.0/0']).contains('2001:db8::1')).toBe(false);
    expect(new CidrList(['::/0']).contains('2001:db8::1')).toBe(true);
    expect(new CidrList([]).contains('127.0.0.1')).toBe(false);
  });

  it('matches an address inside a longer text, as X-Forwarded-For is read', () => {
    const text = '198.51.100.1, 10.0.0.5';
    expect(list.contains(text, 14, text.length)).toBe(true);
    expect(list.contains(text, 0, 12)).toBe(false);
  });

  it('says what is wrong with a bad CIDR', () => {
    expect(cidrProblem('10.0.0.0/8')).toBeUndefined();
    expect(cidrProblem('::ffff:10.0.0.0/104')).toBeUndefined();
    expect(cidrProblem('10.0.0.0/33')).toContain('0 to 32');
    expect(cidrProblem('::/129')).toContain('0 to 128');
    expect(cidrProblem('10.0.0.0/')).toContain('prefix length');
    expect(cidrProblem('localhost')).toContain('IPv4 or IPv6');
  });
});
