import { describe, expect, it } from 'vitest';
import { runLanes } from './support/cli.js';

async function lanes(args: string[]) {
  const child = runLanes(args);
  const code = await child.exit();
  return { code, stderr: child.stderr() };
}

// parseArgs refuses `-n -5` as ambiguous; the command must get the number and say what is wrong with it.
describe('lanes: negative numbers as option values', () => {
  it('reach the command for short options and for commands with their own parser', async () => {
    expect(await lanes(['logs', '-n', '-5', 'api', 'gray'])).toEqual({
      code: 2,
      stderr: 'lanes logs: --lines must be a whole number, got "-5"\n',
    });
    expect(await lanes(['gateway', '--config', 'gateway.json', '--workers', '-1'])).toEqual({
      code: 2,
      stderr: 'lanes gateway: --workers must be a whole number from 1 to 64, got "-1"\n',
    });
  });
});
