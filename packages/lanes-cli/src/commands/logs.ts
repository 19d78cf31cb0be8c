import { EXIT } from '@lanes/cli-kit';
import { parseDuration } from '@lanes/core';
import { lanesCommand } from '../lanes-command.js';
import { PROJECT_OPTIONS } from '../project-options.js';
import { PROVIDER_OPTIONS, withProvider } from '../providers.js';
import { renderProviderResult } from '../render-provider-result.js';
import { laneKeyFrom } from './arguments.js';

/** --since without --lines: every line since then, within a bound. */
const SINCE_LINES = 10_000;

export const logsCommand = lanesCommand({
  name: 'logs',
  summary: "the lane's replica logs, interleaved by time",
  positionals: [{ name: 'service' }, { name: 'lane' }],
  description: `Prints the logs of the replicas of the lane's current revision (from <state dir>/logs/<env>/<service>/<lane>/),
interleaved by time, each line prefixed with its replica id.
Lines are ordered by the date-time they start with (or a JSON line's time field); a line without one stays
under the line before it.`,
  options: {
    lines: {
      type: 'integer',
      short: 'n',
      value: '<n>',
      default: `50; ${SINCE_LINES} with --since`,
      description: 'the last n lines of the lane, all replicas together',
    },
    since: {
      type: 'string',
      value: '<when>',
      description: 'only lines since a duration ago (30s, 5m, 2h) or a date-time (2026-12-06T17:00:00Z)',
    },
    all: { type: 'boolean', description: 'every replica the lane had, earlier revisions too' },
    follow: { type: 'boolean', short: 'f', description: 'keep printing new lines until Ctrl-C' },
    ...PROVIDER_OPTIONS,
    ...PROJECT_OPTIONS,
  },
  async run({ values, positionals }, io, deps) {
    const since = values.since === undefined ? undefined : parseSince(values.since, Date.now());
    if (since === 'invalid') {
      io.stderr.write(
        `lanes logs: --since must be a duration (30s, 5m, 2h) or a date-time (2026-12-06T17:00:00Z), got "${values.since}"\n`,
      );
      return EXIT.usage;
    }
    const lines = values.lines ?? (since === undefined ? 50 : SINCE_LINES);
    if (lines < 0) {
      io.stderr.write(`lanes logs: --lines must be a whole number, got "${values.lines}"\n`);
      return EXIT.usage;
    }
    return withProvider('logs', values, io, deps, async (provider, session) => {
      const key = laneKeyFrom(session, positionals);
      const follow = values.follow === true;
      const controller = new AbortController();
      const stop = () => controller.abort();
      if (follow) process.once('SIGINT', stop);
      try {
        const request = {
          lines,
          follow,
          signal: controller.signal,
          ...(values.all ? { all: true } : {}),
          ...(since !== undefined ? { sinceMs: since } : {}),
        };
        const result = await provider.logs(key, request, (source, line) => io.stdout.write(`[${source}] ${line}\n`));
        // The lines themselves are the output: a finished read prints nothing more, even with --json.
        return result.type === 'done' ? EXIT.ok : renderProviderResult(io, values.json === true, result);
      } finally {
        process.off('SIGINT', stop);
      }
    });
  },
});

/** `--since`: a duration back from `now`, or a date-time with a zone; epoch ms, or 'invalid'. */
export function parseSince(text: string, now: number): number | 'invalid' {
  const duration = parseDuration(text);
  if (duration !== undefined) return now - duration;
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return 'invalid';
  const time = Date.parse(text);
  return Number.isFinite(time) ? time : 'invalid';
}
