import { EXIT } from '@lanes/cli-kit';
import { collectLanes, parseDuration } from '@lanes/core';
import { lanesCommand } from '../lanes-command.js';
import { PROJECT_OPTIONS, printResult, withProject } from '../project-options.js';
import { LOCAL_PROVIDER_OPTION, refuseNonLocal } from '../providers.js';

export const gcCommand = lanesCommand({
  name: 'gc',
  summary: 'delete lanes not deployed for a while (and expired TTLs)',
  description: `Deletes lanes (never default) last deployed longer ago than the duration (30m, 12h, 7d), and lanes whose own TTL
(lanes deploy --ttl, or "ttl" in lanes.json) has run out. --dry-run lists them without deleting.`,
  options: {
    'older-than': {
      type: 'string',
      value: '<duration>',
      description: 'delete lanes last deployed longer ago than this (30m, 12h, 7d); without it, only expired TTLs',
    },
    'dry-run': { type: 'boolean', description: 'list what would be deleted, delete nothing' },
    ...LOCAL_PROVIDER_OPTION,
    ...PROJECT_OPTIONS,
  },
  async run({ values }, io) {
    const refused = refuseNonLocal('gc', values.provider, io);
    if (refused !== undefined) return refused;
    const text = values['older-than'];
    const olderThanMs = text === undefined ? undefined : parseDuration(text);
    if (text !== undefined && olderThanMs === undefined) {
      io.stderr.write(`lanes gc: --older-than must be a duration like 30m, 12h or 7d, got "${text}"\n`);
      return EXIT.usage;
    }
    return withProject('gc', values, io, async (session) => {
      const result = await collectLanes(session, olderThanMs, values['dry-run'] === true);
      const verb = values['dry-run'] ? 'would delete' : 'deleted';
      const list = result.deleted.length > 0 ? result.deleted.join(', ') : 'nothing';
      printResult(io, values.json === true, result, `gc ${verb}: ${list}`);
      for (const skipped of result.skipped) io.stderr.write(`lanes gc: skipped ${skipped.lane}: ${skipped.reason}\n`);
      return result.skipped.length > 0 ? EXIT.failed : EXIT.ok;
    });
  },
});
