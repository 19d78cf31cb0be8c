import { routeService } from '@lanes/core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import { parseCommand, printResult, withProject } from '../project-options.js';

const HELP = `Usage: lanes route <service> <lane>=<weight> [<lane>=<weight> ...]

Sets the weights of a service's lanes for untagged requests (a percentage canary on top of tag routing).
Weights are relative: 'default=90 gray=10' sends 10% of untagged requests to gray. Lanes not named keep theirs.`;

export async function runRouteCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand('route', args, {}, HELP, io);
  if (typeof parsed === 'number') return parsed;
  const [service, ...pairs] = parsed.positionals;
  const weights: Record<string, number> = {};
  for (const pair of pairs) {
    const [lane, weight, extra] = pair.split('=');
    if (!lane || weight === undefined || extra !== undefined || weight === '' || !Number.isFinite(Number(weight))) {
      io.stderr.write(`lanes route: expected <lane>=<weight>, got "${pair}"\n\n${HELP}\n`);
      return EXIT.usage;
    }
    weights[lane] = Number(weight);
  }
  if (!service || pairs.length === 0) {
    io.stderr.write(`lanes route: give a service and at least one <lane>=<weight>\n\n${HELP}\n`);
    return EXIT.usage;
  }
  return withProject('route', parsed.values, io, async (session) => {
    if (!session.project.services[service]) {
      io.stderr.write(
        `lanes route: no service "${service}" in ${session.project.file} (services: ${Object.keys(session.project.services).join(', ')})\n`,
      );
      return EXIT.usage;
    }
    const result = await routeService(session, service, weights);
    const json = parsed.values.json === true;
    if (result.type === 'routed') {
      const shares = Object.entries(result.shares).map(([lane, share]) => `${lane} ${Math.round(share * 1000) / 10}%`);
      printResult(io, json, result, `${service}: untagged traffic ${shares.join(', ')}`);
      return EXIT.ok;
    }
    if (json) io.stdout.write(`${JSON.stringify({ result: result.type, ...result })}\n`);
    io.stderr.write(`lanes route: ${result.message}\n`);
    return EXIT.usage;
  });
}
