import { PassThrough } from 'node:stream';
import { renderError } from '@lanes/cli-kit';
import { LanesError } from '@lanes/core';
import { GatewayConfigError, GatewayError, TokenKeyError } from '@lanes/gateway';
import { TraceContextError } from '@lanes/trace-context';
import { describe, expect, it } from 'vitest';

function report(error: unknown, json = false, debug = false) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const code = renderError('lanes up', error, { stdout, stderr, debug }, json);
  return { code, stdout: String(stdout.read() ?? ''), stderr: String(stderr.read() ?? '') };
}

describe('renderError, with the errors of the lanes packages', () => {
  it('renders a user-caused error of any package as one line, exit 2, with its own code', () => {
    const gateway = report(new GatewayError('GATEWAY_CONFIG_INVALID', 'listen.port must be 1..65535', 'user'), true);
    expect(gateway.code).toBe(2);
    expect(gateway.stderr).toBe('lanes up: listen.port must be 1..65535\n');
    expect(JSON.parse(gateway.stdout)).toMatchObject({ result: 'error', code: 'GATEWAY_CONFIG_INVALID' });
    const traceContext = report(new TraceContextError('TRACE_CONTEXT_INVALID_LANE', 'lane "a b" is not a lane name'));
    expect(traceContext).toMatchObject({ code: 2, stderr: 'lanes up: lane "a b" is not a lane name\n' });
    expect(report(new LanesError('LANES_NAME_INVALID', 'bad name', 'user')).code).toBe(2);
    const key = report(new TokenKeyError('/s/lane-token.key', 'not a regular file'), true);
    expect(key.code).toBe(2);
    expect(JSON.parse(key.stdout)).toMatchObject({ code: 'GATEWAY_TOKEN_KEY_UNUSABLE' });
  });

  it('lists the issues of a gateway configuration error in --json', () => {
    const issues = [{ path: 'listen.port', message: 'must be 1..65535' }];
    const out = report(new GatewayConfigError(issues, 'gateway.json'), true);
    expect(out.code).toBe(2);
    expect(JSON.parse(out.stdout)).toMatchObject({ code: 'GATEWAY_CONFIG_INVALID', issues });
  });

  it('renders a system fault by its message and a hint, exit 1; anything unbranded is an internal error', () => {
    expect(report(new LanesError('LANES_STATE_UNREADABLE', 'state.db is not a database', 'system'))).toMatchObject({
      code: 1,
      stderr: 'lanes up: state.db is not a database (rerun with --debug for the stack)\n',
    });
    const bug = report(new TypeError('x is undefined'), true);
    expect(bug.code).toBe(1);
    expect(bug.stderr).toBe('lanes up: internal error: x is undefined (rerun with --debug for the stack)\n');
    expect(JSON.parse(bug.stdout)).toMatchObject({ code: 'CLI_KIT_INTERNAL' });
  });

  it('prints the stack with --debug', () => {
    const bug = report(new TypeError('x is undefined'), false, true);
    expect(bug.stderr).toMatch(/^lanes up: internal error: x is undefined\nTypeError: x is undefined\n {4}at /);
  });

  it('recognises the brand, not the class: an error from another installed copy is rendered the same', () => {
    const foreign = Object.assign(new Error('from another copy'), { code: 'X_USER', fault: 'user' });
    Object.defineProperty(foreign, Symbol.for('@lanes/error'), { value: true });
    expect(report(foreign)).toMatchObject({ code: 2, stderr: 'lanes up: from another copy\n' });
  });
});
