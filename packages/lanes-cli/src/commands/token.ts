import { EXIT } from '@lanes/cli-kit';
import { issueLaneToken, parseDuration } from '@lanes/core';
import { lanesCommand } from '../lanes-command.js';
import { PROJECT_OPTIONS, printResult, withProject } from '../project-options.js';

const DEFAULT_TTL = '1h';

export const tokenCommand = lanesCommand({
  name: 'token',
  summary: 'a signed token that lets an untrusted client into the lane',
  positionals: [{ name: 'lane' }],
  description: `Prints a signed lane token: a client outside the trusted networks (admission.trusted in lanes.json) that sends it
in the x-lane-token header, or as the baggage member lane-token, may choose <lane> until the token expires.
--ttl is at most admission.tokens.maxTtl (default 1d). The key is in the state folder (lane-token.key, mode 0600),
created on first use.

  curl -H 'tracestate: ctx=lane:gray' -H "x-lane-token: $(lanes token gray)" http://127.0.0.1:8080/`,
  options: {
    ttl: {
      type: 'string',
      value: '<duration>',
      default: DEFAULT_TTL,
      description: 'how long the token lets the client in (30m, 1h, 7d)',
    },
    ...PROJECT_OPTIONS,
  },
  async run({ values, positionals }, io) {
    const [lane] = positionals as [string];
    const text = values.ttl ?? DEFAULT_TTL;
    const ttlMs = parseDuration(text);
    if (ttlMs === undefined) {
      io.stderr.write(`lanes token: --ttl must be a duration like 30m, 1h or 7d, got "${text}"\n`);
      return EXIT.usage;
    }
    return withProject('token', values, io, async (session) => {
      const issued = issueLaneToken(session.project, lane, ttlMs);
      const result = { ...issued, expires: new Date(issued.expiresAt).toISOString() };
      printResult(io, values.json === true, result, issued.token);
      return EXIT.ok;
    });
  },
});
