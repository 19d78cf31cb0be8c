import { resolve } from 'node:path';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import { parseCommand, printResult, withProject } from '../project-options.js';
import { importAws } from '../providers.js';

const HELP = `Usage: lanes synth [--out <dir>]

Generates, from the project files, everything an infra repo needs to run the lanes on AWS (see docs/aws.md):
CloudFormation templates of the infra, boot and app-lane stacks, the three CodePipeline pipelines, ci/buildspec.yaml
and ci/build.sh, stack policies and the env's parameter files. Checks rule priorities and ALB quotas first.
  --out <dir>   where to write (default: <project>/synth.out/<env>)`;

export async function runSynthCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<{ out?: string }>('synth', args, { out: { type: 'string', short: 'o' } }, HELP, io);
  if (typeof parsed === 'number') return parsed;
  return withProject('synth', parsed.values, io, async (session) => {
    const { project } = session;
    const outDir = parsed.values.out ? resolve(parsed.values.out) : resolve(project.dir, 'synth.out', project.env);
    const { synthesize } = await importAws(); // aws-cdk-lib is heavy: load it only here
    const result = await synthesize(project, { outDir });
    printResult(io, parsed.values.json === true, result, `wrote ${result.files.length} files to ${result.outDir}`);
    if (parsed.values.json !== true) {
      for (const warning of result.warnings) io.stderr.write(`lanes synth: warning: ${warning.message}\n`);
    }
    return EXIT.ok;
  });
}
