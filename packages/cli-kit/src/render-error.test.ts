import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { renderError } from './render-error.js';

function branded(message: string, fault: 'user' | 'system', extra: object = {}): Error {
  const error = Object.assign(new Error(message), { code: fault === 'user' ? 'X_BAD' : 'X_BROKEN', fault }, extra);
  Object.defineProperty(error, Symbol.for('@lanes/error'), { value: true });
  return error;
}

function render(error: unknown, json = false, debug = false) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const code = renderError('tool cmd', error, { stdout, stderr, debug }, json);
  return { code, stdout: String(stdout.read() ?? ''), stderr: String(stderr.read() ?? '') };
}

describe('renderError', () => {
  it('renders a branded user fault as one line, exit 2, with its code and issues in --json', () => {
    const issues = [{ path: 'a', message: 'b' }];
    const out = render(branded('listen.port must be 1..65535', 'user', { issues }), true);
    expect(out).toMatchObject({ code: 2, stderr: 'tool cmd: listen.port must be 1..65535\n' });
    expect(JSON.parse(out.stdout)).toEqual({
      result: 'error',
      code: 'X_BAD',
      message: 'listen.port must be 1..65535',
      issues,
    });
  });

  it('renders a system fault or an OS error by its message and the --debug hint, exit 1', () => {
    expect(render(branded('state.db is not a database', 'system'))).toMatchObject({
      code: 1,
      stderr: 'tool cmd: state.db is not a database (rerun with --debug for the stack)\n',
    });
    const os = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(render(os).stderr).toBe('tool cmd: EACCES: permission denied (rerun with --debug for the stack)\n');
  });

  it('calls anything unbranded an internal error, with its stack under --debug', () => {
    const bug = render(new TypeError('x is undefined'), true);
    expect(bug.code).toBe(1);
    expect(bug.stderr).toBe('tool cmd: internal error: x is undefined (rerun with --debug for the stack)\n');
    expect(JSON.parse(bug.stdout)).toMatchObject({ code: 'CLI_KIT_INTERNAL' });
    expect(render(new TypeError('x'), false, true).stderr).toMatch(
      /^tool cmd: internal error: x\nTypeError: x\n {4}at /,
    );
  });

  it('ends quietly when the reader of stdout went away (EPIPE)', () => {
    const pipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    expect(render(pipe)).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
