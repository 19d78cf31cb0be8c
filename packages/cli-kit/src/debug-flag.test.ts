import { describe, expect, it } from 'vitest';
import { takeDebugFlag } from './debug-flag.js';

describe('takeDebugFlag', () => {
  it('takes --debug from anywhere before --, and leaves the words after -- alone', () => {
    expect(takeDebugFlag(['status', '--debug', '--json'])).toEqual({ args: ['status', '--json'], debug: true });
    expect(takeDebugFlag(['--debug', 'up'])).toEqual({ args: ['up'], debug: true });
    expect(takeDebugFlag(['record', '--', 'node', '--debug'])).toEqual({
      args: ['record', '--', 'node', '--debug'],
      debug: false,
    });
    expect(takeDebugFlag(['status'])).toEqual({ args: ['status'], debug: false });
  });
});
