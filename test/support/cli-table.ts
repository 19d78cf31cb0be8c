import { type CliSpec, cliUsage } from '@lanes/cli-kit';
import { describe, expect, it } from 'vitest';
import type { InProcessRun } from './cli.js';

/**
 * What every CLI built on the command table must do, run in process: the usage lists every command (exit 2 without
 * one, 0 with --help), an unknown command is refused by name (exit 2), and each command's --help names every option
 * of its table entry (exit 0).
 */
export function describeCommandTable(cli: CliSpec<never>, run: (args: string[]) => Promise<InProcessRun>): void {
  describe(`${cli.name}, in process: the usage and every command's --help come from the command table`, () => {
    it('prints the usage with every command: exit 2 without a command, 0 with --help', async () => {
      const bare = await run([]);
      expect(bare.code).toBe(2);
      expect(bare.stdout).toBe(cliUsage(cli));
      for (const command of cli.commands) expect(bare.stdout).toMatch(new RegExp(`^  ${command.name}\\b`, 'm'));
      expect(await run(['--help'])).toEqual({ code: 0, stdout: bare.stdout, stderr: '' });
    });

    it('refuses an unknown command with exit 2, naming it', async () => {
      const unknown = await run(['no-such-command']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr.split('\n')[0]).toBe(`${cli.name}: unknown command "no-such-command"`);
    });

    for (const command of cli.commands) {
      it(`${command.name} --help lists every option of its table entry, exit 0`, async () => {
        const help = await run([command.name, '--help']);
        expect(help).toMatchObject({ code: 0, stderr: '' });
        expect(help.stdout.startsWith(`Usage: ${cli.name} ${command.name}`)).toBe(true);
        for (const name of Object.keys(command.options)) expect(help.stdout).toContain(`--${name}`);
      });
    }
  });
}
