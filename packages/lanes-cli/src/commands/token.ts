import { issueLaneToken, parseDuration } from '@lanes/core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import { parseCommand, printResult, withProject } from '../project-options.js';

const DEFAULT_TTL = '1h';

const HELP = `Usage: lanes token <lane> [--ttl <duration>]

Prints a signed lane token: a client outside the trusted networks (admission.trusted in lanes.json) that sends it
in the x-lane-token header, or as the baggage member lane-token, may choose <lane> until the token expires.
--ttl is a duration like 30m, 1h or 7d (default ${DEFAULT_TTL}), at most admission.tokens.maxTtl (default 1d). The
key is in the state folder (lane-token.key, mode 0600), created on first use.

  curl -H 'tracestate: ctx=lane:gray' -H "x-lane-token: $(lanes token gray)" http://127.0.0.1:8080/`;

export async function runTokenCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<{ ttl?: string }>('token', args, { ttl: { type: 'string' } }, HELP, io);
  if (typeof parsed === 'number') return parsed;
  const [lane, ...extra] = parsed.positionals;
  if (lane === undefined || extra.length > 0) {
    io.stderr.write(`lanes token: give exactly one lane\n\n${HELP}\n`);
    return EXIT.usage;
  }
  const text = parsed.values.ttl ?? DEFAULT_TTL;
  const ttlMs = parseDuration(text);
  if (ttlMs === undefined) {
    io.stderr.write(`lanes token: --ttl must be a duration like 30m, 1h or 7d, got "${text}"\n`);
    return EXIT.usage;
  }
  return withProject('token', parsed.values, io, async (session) => {
    const issued = issueLaneToken(session.project, lane, ttlMs);
    printResult(
      io,
      parsed.values.json === true,
      { ...issued, expires: new Date(issued.expiresAt).toISOString() },
      issued.token,
    );
    return EXIT.ok;
  });
}
