import { collectLanes, parseDuration } from '@lanes/core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import { parseCommand, printResult, withProject } from '../project-options.js';
import { LOCAL_PROVIDER_OPTION, refuseNonLocal } from '../providers.js';

const HELP = `Usage: lanes gc [--older-than <duration>] [--dry-run]

Deletes lanes (never default) last deployed longer ago than the duration (30m, 12h, 7d), and lanes whose own TTL
(lanes deploy --ttl, or "ttl" in lanes.json) has run out. --dry-run lists them without deleting.`;

export async function runGcCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<{ 'older-than'?: string; 'dry-run'?: boolean; provider?: string }>(
    'gc',
    args,
    { 'older-than': { type: 'string' }, 'dry-run': { type: 'boolean' }, ...LOCAL_PROVIDER_OPTION },
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const refused = refuseNonLocal('gc', parsed.values.provider, io);
  if (refused !== undefined) return refused;
  const text = parsed.values['older-than'];
  const olderThanMs = text === undefined ? undefined : parseDuration(text);
  if (text !== undefined && olderThanMs === undefined) {
    io.stderr.write(`lanes gc: --older-than must be a duration like 30m, 12h or 7d, got "${text}"\n`);
    return EXIT.usage;
  }
  return withProject('gc', parsed.values, io, async (session) => {
    const result = await collectLanes(session, olderThanMs, parsed.values['dry-run'] === true);
    const verb = parsed.values['dry-run'] ? 'would delete' : 'deleted';
    const list = result.deleted.length > 0 ? result.deleted.join(', ') : 'nothing';
    printResult(io, parsed.values.json === true, result, `gc ${verb}: ${list}`);
    for (const skipped of result.skipped) io.stderr.write(`lanes gc: skipped ${skipped.lane}: ${skipped.reason}\n`);
    return result.skipped.length > 0 ? EXIT.failed : EXIT.ok;
  });
}
