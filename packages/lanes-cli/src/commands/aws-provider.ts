import type { LaneKey, ProjectSession } from '@lanes/core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { type CliIo, writeJsonLine } from '../output.js';
import { table } from '../text-table.js';

/** @lanes/aws pulls in aws-cdk-lib and the AWS SDK: loaded only when a command runs with --provider aws. */
async function awsProvider(session: ProjectSession, region: string | undefined) {
  const { openAwsProvider } = await import('@lanes/aws');
  return openAwsProvider(session.project, session.io, region);
}

/** `--provider` and what the AWS provider needs on top of the local one. */
export const PROVIDER_OPTIONS = {
  provider: { type: 'string' },
  region: { type: 'string' },
} as const;

export const PROVIDER_HELP = `  --provider local|aws   where the lanes run (default local); aws uses the credentials the AWS CLI would
  --region <region>      the AWS region (default: AWS_REGION or the profile's)`;

export type Provider = 'local' | 'aws';

/** The provider named by --provider; anything else is a usage error. */
export function providerOf(value: string | undefined, io: CliIo, command: string): Provider | undefined {
  if (value === undefined || value === 'local' || value === 'aws') return value ?? 'local';
  io.stderr.write(`lanes ${command}: --provider must be local or aws, got "${value}"\n`);
  return undefined;
}

type AwsOutcome = { type: string; message?: string };

/** Maps an AWS provider result to output and an exit code: done 0, refused or busy 2, failed 3. */
function finish(io: CliIo, json: boolean, result: AwsOutcome, done: readonly string[]): ExitCode {
  if (json) writeJsonLine(io.stdout, { result: result.type, ...result });
  if (done.includes(result.type)) {
    if (!json) io.stdout.write(`${result.message ?? result.type}\n`);
    return EXIT.ok;
  }
  io.stderr.write(`lanes: ${result.message ?? result.type}\n`);
  return result.type === 'failed' ? EXIT.failed : EXIT.usage;
}

export type AwsLaneAction = 'deploy' | 'promote' | 'rollback' | 'delete';

/** Runs one lane operation on AWS through CloudFormation change sets (see docs/aws.md). */
export async function runAwsLaneAction(
  session: ProjectSession,
  action: AwsLaneAction,
  key: LaneKey,
  options: {
    json: boolean;
    region?: string | undefined;
    image?: string | undefined;
    label?: string | undefined;
    env?: Record<string, string> | undefined;
  },
  io: CliIo,
): Promise<ExitCode> {
  if (action === 'deploy' && !options.image) {
    io.stderr.write('lanes deploy: --provider aws needs --image <uri> (the container image to run)\n');
    return EXIT.usage;
  }
  const provider = await awsProvider(session, options.region);
  // Ctrl-C stops waiting and reports what CloudFormation still does; a second Ctrl-C exits at once.
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  const call = { signal: interrupt.signal };
  try {
    switch (action) {
      case 'deploy': {
        if (!options.image) return EXIT.usage;
        const request = {
          imageUri: options.image,
          ...(options.label ? { label: options.label } : {}),
          ...(options.env ? { env: options.env } : {}),
        };
        return finish(io, options.json, await provider.deploy(key, request, call), ['deployed', 'no-change']);
      }
      case 'promote':
        return finish(io, options.json, await provider.promote(key, call), ['promoted']);
      case 'rollback':
        return finish(io, options.json, await provider.rollback(key, call), ['deployed', 'no-change']);
      case 'delete':
        return finish(io, options.json, await provider.delete(key, call), ['deleted']);
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** `lanes status --provider aws`: the lanes' stacks as CloudFormation sees them. */
export async function runAwsStatus(
  session: ProjectSession,
  json: boolean,
  region: string | undefined,
  io: CliIo,
): Promise<ExitCode> {
  const provider = await awsProvider(session, region);
  const lanes = await provider.status(session.project.env);
  if (json) {
    writeJsonLine(io.stdout, { result: 'ok', provider: 'aws', lanes });
    return EXIT.ok;
  }
  const rows = lanes.map((lane) => [lane.lane, lane.stack, lane.status ?? '-', lane.image ?? '-', lane.label ?? '-']);
  io.stdout.write(`${table(['LANE', 'STACK', 'STATUS', 'IMAGE', 'LABEL'], rows)}\n`);
  return EXIT.ok;
}
