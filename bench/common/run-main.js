import { UsageError } from './flags.js';

/**
 * Runs a benchmark's main function and always its cleanup: a usage mistake is printed without a stack, any other
 * error with one, and either sets exit code 1. Output piped into `head` or a closed terminal fails with EPIPE; that
 * must not end the run before its children are stopped.
 * @param {() => Promise<number>} main
 * @param {() => Promise<void>} cleanUp
 * @param {(line: string) => void} log
 */
export async function runMain(main, cleanUp, log) {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  try {
    process.exitCode = await main();
  } catch (error) {
    if (error instanceof UsageError) log(error.message);
    else log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}
