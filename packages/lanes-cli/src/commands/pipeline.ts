import { EXIT } from '@lanes/cli-kit';
import { lanesCommand } from '../lanes-command.js';
import { PROJECT_OPTIONS, printResult, withProject } from '../project-options.js';
import { importAws, PROVIDER_OPTIONS } from '../providers.js';

export const pipelineCommand = lanesCommand({
  name: 'pipeline',
  summary: "start the service's app pipeline on AWS for a lane and branch (AWS only)",
  positionals: [{ name: 'start', literal: true }, { name: 'service' }],
  description: `Starts a run of the service's app pipeline ({service}-{env}) with the variables SERVICE, LANE and BRANCH, as the
seed's pipelines take them. Uses the AWS credentials and region the AWS CLI would.
AWS only (no --provider): pipelines are CodePipeline's; on the local platform 'lanes deploy' is the whole pipeline.`,
  options: {
    lane: { type: 'string', value: '<lane>', required: true, description: 'the lane the run deploys' },
    branch: { type: 'string', value: '<branch>', required: true, description: 'the branch the run builds' },
    region: PROVIDER_OPTIONS.region,
    ...PROJECT_OPTIONS,
  },
  async run({ values, positionals }, io) {
    const [, service] = positionals as [string, string];
    const { lane, branch } = values as { lane: string; branch: string };
    return withProject('pipeline', values, io, async (session) => {
      const { openAwsProvider } = await importAws();
      const provider = await openAwsProvider(session.project, session.io, values.region);
      const result = await provider.startPipeline({ service, env: session.project.env, lane, branch });
      if (result.type !== 'started') {
        io.stderr.write(`lanes pipeline: ${result.message}\n`);
        return EXIT.usage;
      }
      printResult(io, values.json === true, result, `started ${result.pipeline}: execution ${result.executionId}`);
      return EXIT.ok;
    });
  },
});
