import { type CliIo, EXIT, type ExitCode, type OptionValues } from '@lanes/cli-kit';
import {
  BUILTIN_PROVIDERS,
  type LaneProvider,
  LanesError,
  openLaneProvider,
  type ProjectSession,
  type ProviderLoader,
} from '@lanes/core';
import { type ProjectValues, withProject } from './project-options.js';

/** What the CLI runs with; tests pass their own provider loaders (SDK stubs, a fake clock). */
export interface CliDeps {
  providers?: Readonly<Record<string, ProviderLoader>>;
}

/** The providers `--provider` names (CLI_PROVIDERS has a loader for each). */
export const CLI_PROVIDER_NAMES = ['local', 'aws'] as const;

/** `--provider` and what a cloud provider needs on top of the local one. */
export const PROVIDER_OPTIONS = {
  provider: {
    type: 'choice',
    choices: CLI_PROVIDER_NAMES,
    default: 'local',
    description: 'where the lanes run; aws uses the credentials the AWS CLI would (docs/cli.md, "Providers")',
  },
  region: {
    type: 'string',
    value: '<region>',
    description: "the AWS region (default: AWS_REGION or the profile's)",
  },
} as const;

export type ProviderValues = OptionValues<typeof PROVIDER_OPTIONS>;

type AwsModule = typeof import('@lanes/aws');

/**
 * The package itself is missing, as Node's ESM loader reports it ("Cannot find package '@lanes/aws' imported from
 * ..."); a package of its own that is missing names that one instead, and is not this case.
 */
function isMissingPackage(error: unknown, name: string): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(`Cannot find package '${name}'`);
}

/**
 * `@lanes/aws` pulls in aws-cdk-lib and the AWS SDK, and is an optional dependency: it is imported only when a
 * command needs it, and its absence is one line for the user (exit 2), not a stack trace.
 */
export async function importAws(importer: () => Promise<AwsModule> = () => import('@lanes/aws')): Promise<AwsModule> {
  try {
    return await importer();
  } catch (error) {
    if (!isMissingPackage(error, '@lanes/aws')) throw error;
    throw new LanesError(
      'LANES_PROVIDER_MISSING',
      'the aws provider needs the package @lanes/aws, which is not installed: npm install @lanes/aws',
      'user',
    );
  }
}

/** The registry entry for `--provider aws`. */
export function awsProviderLoader(importer?: Parameters<typeof importAws>[0]): ProviderLoader {
  return async () => (await importAws(importer)).awsLaneProviderFactory;
}

export const CLI_PROVIDERS: Readonly<Record<string, ProviderLoader>> = {
  ...BUILTIN_PROVIDERS,
  aws: awsProviderLoader(),
};

/** Opens the project, then the provider named by `--provider` (default local), and runs the command with both. */
export function withProvider(
  name: string,
  values: ProviderValues & ProjectValues,
  io: CliIo,
  deps: CliDeps,
  run: (provider: LaneProvider, session: ProjectSession) => Promise<ExitCode>,
): Promise<ExitCode> {
  return withProject(name, values, io, async (session) => {
    const options = values.region !== undefined ? { region: values.region } : {};
    const loaders = { ...CLI_PROVIDERS, ...deps.providers };
    const provider = await openLaneProvider(values.provider ?? 'local', session, options, loaders);
    return run(provider, session);
  });
}

/** The commands that run the local platform only, and the sentence `--provider aws` gets (docs/cli.md). */
export const LOCAL_ONLY = {
  up: 'lanes up starts the local platform; on aws the platform is the infra and boot stacks, which their pipelines deploy (docs/aws.md)',
  down: 'lanes down stops the local platform; on aws delete a lane with lanes delete --provider aws, and the infra and boot stacks with CloudFormation (docs/aws.md)',
  gc: 'lanes gc reads when each lane was last deployed from the local state database; on aws delete a lane with lanes delete --provider aws',
} as const;

/** `--provider` for a local-only command: it accepts `local`, and refuses another known provider with the reason. */
export const LOCAL_PROVIDER_OPTION = {
  provider: {
    type: 'choice',
    choices: CLI_PROVIDER_NAMES,
    description: 'only local: this command runs the local platform (aws is refused with the reason)',
  },
} as const;

/** Undefined when a local-only command may run (`--provider` absent or local); else says why, exit 2. */
export function refuseNonLocal(command: keyof typeof LOCAL_ONLY, provider: string | undefined, io: CliIo) {
  if (provider === undefined || provider === 'local') return undefined;
  io.stderr.write(`lanes ${command}: ${LOCAL_ONLY[command]}\n`);
  return EXIT.usage;
}
