export { type CliIo, EXIT, type ExitCode } from '@lanes/cli-kit';
export { LANES_CLI } from './lanes-cli.js';
export { main } from './main.js';
export { awsProviderLoader, type CliDeps, LOCAL_ONLY } from './providers.js';
