import { describe, expect, it } from 'vitest';
import { replicaEnv } from './replica-env.js';

describe('replicaEnv', () => {
  const parent = { PATH: '/bin', HOME: '/home/me', LANG: 'C.UTF-8', NODE_OPTIONS: '--require hook', AWS_TOKEN: 't' };

  it('inherits only PATH, HOME, LANG and TZ, and lets run.env, extraEnv and the port override in that order', () => {
    const env = replicaEnv(
      { env: { PATH: '/opt/bin', LANE: 'run', PORT: '1', DEBUG: '1' }, portEnv: 'PORT' },
      4100,
      { LANE: 'gray' },
      parent,
    );
    expect(env).toEqual({
      PATH: '/opt/bin',
      HOME: '/home/me',
      LANG: 'C.UTF-8',
      LANE: 'gray',
      PORT: '4100',
      DEBUG: '1',
    });
  });

  it('passes NODE_OPTIONS only when the service declares it', () => {
    expect(replicaEnv({ env: {}, portEnv: 'PORT' }, 1, {}, parent).NODE_OPTIONS).toBeUndefined();
    const declared = replicaEnv({ env: { NODE_OPTIONS: '--enable-source-maps' }, portEnv: 'PORT' }, 1, {}, parent);
    expect(declared.NODE_OPTIONS).toBe('--enable-source-maps');
  });
});
