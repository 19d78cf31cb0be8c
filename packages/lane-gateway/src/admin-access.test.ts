import { describe, expect, it } from 'vitest';
import { checkAdminAccess, isAdminOrigin, isJsonContentType, isLoopbackHost } from './admin-access.js';

const PORT = 9901;
const TOKEN = 'a'.repeat(64);

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    'LOCALHOST',
    'localhost:9901',
    '127.0.0.1',
    '127.0.0.1:9901',
    '127.1.2.3:9901',
    '[::1]',
    '[::1]:9901',
  ])('accepts %s', (host) => {
    expect(isLoopbackHost(host, PORT)).toBe(true);
  });

  it.each([
    ['a rebinding name', 'rebind.attacker.example'],
    ['a rebinding name with the admin port', 'rebind.attacker.example:9901'],
    ['another port', 'localhost:8080'],
    ['an empty port', '127.0.0.1:'],
    ['a subdomain of localhost', 'evil.localhost'],
    ['localhost with a trailing dot', 'localhost.'],
    ['a LAN address', '192.168.1.2:9901'],
    ['an address outside 127/8', '128.0.0.1'],
    ['IPv6 without brackets', '::1'],
    ['IPv4-mapped loopback', '[::ffff:127.0.0.1]'],
    ['credentials', 'user@localhost'],
    ['an empty header', ''],
    ['a number that is not dotted', '2130706433'],
  ])('refuses %s (%s)', (_name, host) => {
    expect(isLoopbackHost(host, PORT)).toBe(false);
  });

  it('refuses a request without Host', () => {
    expect(isLoopbackHost(undefined, PORT)).toBe(false);
  });
});

describe('isAdminOrigin', () => {
  it.each(['http://127.0.0.1:9901', 'http://localhost:9901', 'http://[::1]:9901', 'HTTP://LOCALHOST:9901'])(
    'accepts its own origin %s',
    (origin) => {
      expect(isAdminOrigin(origin, PORT)).toBe(true);
    },
  );

  it('takes an origin without port as port 80', () => {
    expect(isAdminOrigin('http://localhost', 80)).toBe(true);
    expect(isAdminOrigin('http://localhost', PORT)).toBe(false);
  });

  it.each([
    'null',
    'http://rebind.attacker.example:9901',
    'http://127.0.0.1:8080',
    'https://127.0.0.1:9901',
    'http://127.0.0.1:9901/',
    'http://evil.example',
    'file://',
    '',
  ])('refuses %s', (origin) => {
    expect(isAdminOrigin(origin, PORT)).toBe(false);
  });
});

describe('isJsonContentType', () => {
  it.each(['application/json', 'Application/JSON', 'application/json; charset=utf-8'])('accepts %s', (type) => {
    expect(isJsonContentType(type)).toBe(true);
  });

  it.each([undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/jsonx'])(
    'refuses %s',
    (type) => {
      expect(isJsonContentType(type)).toBe(false);
    },
  );
});

describe('checkAdminAccess', () => {
  const check = (method: string, headers: Record<string, string>) =>
    checkAdminAccess({ method, headers, adminPort: PORT }, TOKEN);
  const writer = { host: '127.0.0.1:9901', authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

  it('serves reads on loopback without a token', () => {
    expect(check('GET', { host: 'localhost:9901' })).toEqual({ type: 'allowed' });
  });

  it('refuses a foreign Host with 421 before anything else, reads included', () => {
    const access = check('GET', { host: 'rebind.attacker.example:9901' });
    expect(access).toMatchObject({ type: 'refused', status: 421 });
    expect(access.type === 'refused' && access.error).toContain('"rebind.attacker.example:9901"');
    expect(check('PUT', { ...writer, host: 'rebind.attacker.example' })).toMatchObject({ status: 421 });
    expect(check('GET', {})).toMatchObject({ status: 421 });
  });

  it('refuses another Origin with 403, reads included', () => {
    expect(check('GET', { host: 'localhost', origin: 'http://evil.example' })).toMatchObject({ status: 403 });
    expect(check('POST', { ...writer, origin: 'null' })).toMatchObject({ status: 403 });
    expect(check('POST', { ...writer, origin: 'http://127.0.0.1:9901' })).toEqual({ type: 'allowed' });
  });

  it('asks for the bearer token on anything but a read', () => {
    for (const method of ['PUT', 'POST', 'DELETE', 'PATCH']) {
      const access = check(method, { host: 'localhost', 'content-type': 'application/json' });
      expect(access).toMatchObject({ status: 401, headers: { 'www-authenticate': expect.stringMatching(/^Bearer/) } });
    }
    expect(check('PUT', { ...writer, authorization: `Bearer ${'b'.repeat(64)}` })).toMatchObject({ status: 401 });
    expect(check('PUT', { ...writer, authorization: `Basic ${TOKEN}` })).toMatchObject({ status: 401 });
    expect(check('PUT', { ...writer, authorization: `Bearer ${TOKEN}x` })).toMatchObject({ status: 401 });
    expect(check('PUT', { ...writer, authorization: `bearer ${TOKEN}` })).toEqual({ type: 'allowed' });
  });

  it('asks for a JSON content type once the token is right', () => {
    expect(check('PUT', { ...writer, 'content-type': 'text/plain' })).toMatchObject({ status: 415 });
    const { 'content-type': _, ...untyped } = writer;
    expect(check('POST', untyped)).toMatchObject({ status: 415 });
  });

  it('changes nothing through the API when the gateway has no token', () => {
    const access = checkAdminAccess({ method: 'POST', headers: writer, adminPort: PORT }, undefined);
    expect(access).toMatchObject({ status: 403 });
    expect(access.type === 'refused' && access.error).toContain('admin.tokenFile');
  });
});
