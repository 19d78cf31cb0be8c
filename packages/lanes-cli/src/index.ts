export { EXIT, type ExitCode } from './exit-codes.js';
export { main } from './main.js';
export type { CliIo } from './output.js';
export { awsProviderLoader, type CliDeps, LOCAL_ONLY } from './providers.js';
