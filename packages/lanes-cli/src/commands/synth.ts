import { resolve } from 'node:path';
import { EXIT } from '@lanes/cli-kit';
import { lanesCommand } from '../lanes-command.js';
import { PROJECT_OPTIONS, printResult, withProject } from '../project-options.js';
import { importAws } from '../providers.js';

export const synthCommand = lanesCommand({
  name: 'synth',
  summary: 'generate the AWS infra repo: stacks, pipelines, buildspec (docs/aws.md)',
  description: `Generates, from the project files, everything an infra repo needs to run the lanes on AWS (see docs/aws.md):
CloudFormation templates of the infra, boot and app-lane stacks, the three CodePipeline pipelines, ci/buildspec.yaml
and ci/build.sh, stack policies and the env's parameter files. Checks rule priorities and ALB quotas first.`,
  options: {
    out: {
      type: 'string',
      short: 'o',
      value: '<dir>',
      default: '<project>/synth.out/<env>',
      description: 'where to write',
    },
    ...PROJECT_OPTIONS,
  },
  async run({ values }, io) {
    return withProject('synth', values, io, async (session) => {
      const { project } = session;
      const outDir = values.out ? resolve(values.out) : resolve(project.dir, 'synth.out', project.env);
      const { synthesize } = await importAws(); // aws-cdk-lib is heavy: load it only here
      const result = await synthesize(project, { outDir });
      printResult(io, values.json === true, result, `wrote ${result.files.length} files to ${result.outDir}`);
      if (values.json !== true) {
        for (const warning of result.warnings) io.stderr.write(`lanes synth: warning: ${warning.message}\n`);
      }
      return EXIT.ok;
    });
  },
});
