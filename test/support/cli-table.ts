import { type CliSpec, cliUsage, type OptionSpec, type OptionSpecs } from '@lanes/cli-kit';
import { describe, expect, it } from 'vitest';
import type { InProcessRun } from './cli.js';

/**
 * What every CLI built on the command table must do, run in process: the usage lists every command (exit 2 without
 * one, 0 with --help), an unknown command is refused by name (exit 2), and each command's --help names every option
 * of its table entry (exit 0), and each option whose value is one of a fixed set is a kit `choice` that refuses
 * any other value by name (exit 2).
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

      for (const [name, spec] of Object.entries(command.options)) {
        if (spec.type !== 'choice') {
          // A set written into the value's name (`a|b`) is a choice declared by hand: the kit's type checks it.
          it(`${command.name} --${name} does not list a fixed set by hand`, () => {
            expect(spec.value ?? '').not.toMatch(/^[\w.-]+(\|[\w.-]+)+$/);
          });
          continue;
        }
        it(`${command.name} --${name} refuses a value not among its choices, naming them (exit 2)`, async () => {
          if (spec.default !== undefined) expect(spec.choices).toContain(spec.default);
          const refused = await run([command.name, ...requiredArgs(command.options, name), `--${name}`, 'no-such']);
          const line = `--${name} must be one of ${spec.choices.join(', ')}, got "no-such"`;
          expect(refused).toEqual({ code: 2, stdout: '', stderr: `${cli.name} ${command.name}: ${line}\n` });
        });
      }
    }
  });
}

/** Arguments for every required option but `except`, each a value its type accepts. */
function requiredArgs(options: OptionSpecs, except: string): string[] {
  const valid = (spec: OptionSpec) => (spec.type === 'choice' ? spec.choices[0] : spec.type === 'string' ? 'x' : '1');
  return Object.entries(options)
    .filter(([name, spec]) => spec.required && name !== except)
    .flatMap(([name, spec]) => [`--${name}`, valid(spec)]);
}
