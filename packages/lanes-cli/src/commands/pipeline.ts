import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import { parseCommand, printResult, withProject } from '../project-options.js';
import { importAws } from '../providers.js';

const HELP = `Usage: lanes pipeline start <service> --lane <lane> --branch <branch> [--region <region>]

Starts a run of the service's app pipeline ({service}-{env}) with the variables SERVICE, LANE and BRANCH, as the
seed's pipelines take them. Uses the AWS credentials and region the AWS CLI would.
AWS only (no --provider): pipelines are CodePipeline's; on the local platform 'lanes deploy' is the whole pipeline.`;

export async function runPipelineCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<{ lane?: string; branch?: string; region?: string }>(
    'pipeline',
    args,
    { lane: { type: 'string' }, branch: { type: 'string' }, region: { type: 'string' } },
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const [verb, service, ...extra] = parsed.positionals;
  const { lane, branch } = parsed.values;
  if (verb !== 'start' || !service || extra.length > 0 || !lane || !branch) {
    io.stderr.write(
      `lanes pipeline: usage: lanes pipeline start <service> --lane <lane> --branch <branch>\n\n${HELP}\n`,
    );
    return EXIT.usage;
  }
  return withProject('pipeline', parsed.values, io, async (session) => {
    const { openAwsProvider } = await importAws();
    const provider = await openAwsProvider(session.project, session.io, parsed.values.region);
    const result = await provider.startPipeline({ service, env: session.project.env, lane, branch });
    if (result.type !== 'started') {
      io.stderr.write(`lanes pipeline: ${result.message}\n`);
      return EXIT.usage;
    }
    printResult(io, parsed.values.json === true, result, `started ${result.pipeline}: execution ${result.executionId}`);
    return EXIT.ok;
  });
}
