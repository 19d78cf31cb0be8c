import type { CliSpec } from '@lanes/cli-kit';

/** Each generated doc, with the table it comes from (repository-relative paths). */
export declare const CLI_DOCS: readonly { file: string; cli: CliSpec<never> }[];
/** The doc as the command table makes it, and as it is checked in. */
export declare function cliDoc(file: string, cli: CliSpec<never>): { current: string; generated: string };
