import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  GATEWAY_ENGINES,
  GatewayCluster,
  type GatewayEngine,
  GatewayError,
  type GatewayEvent,
  loadGatewayConfig,
  startGateway,
  startNginxGateway,
} from '@lanes/gateway';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { negativeValuesJoined } from '../negative-values.js';
import { type CliIo, writeJsonLine } from '../output.js';
import { renderGatewayEvent } from '../render-gateway-event.js';

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  workers: { type: 'string' },
  engine: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: lanes gateway --config <file> [--json] [--workers <n>] [--engine node|nginx]

Runs the lane-aware HTTP gateway described by <file> (see docs/gateway.md) until SIGINT or SIGTERM.
SIGHUP and any change of the file reload it without dropping requests; so does 'POST /admin/reload' with the
bearer token of admin.tokenFile (see docs/gateway.md, "The admin API").

Options:
  --config <file>   gateway configuration (JSON)
  --json            one JSON object per line on stdout, the first {"event":"listening",...}
  --workers <n>     proxy processes sharing the port (default 1)
  --engine <name>   node (the embedded proxy) or nginx (Debian's nginx and njs, run and reloaded by lanes);
                    default: the file's "engine", else node (docs/gateway.md, "Choosing an engine")
`;

/** `lanes gateway`: start, render events, reload on SIGHUP, drain on SIGINT/SIGTERM. */
export async function runGatewayCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  let values: {
    config?: string | undefined;
    json?: boolean | undefined;
    workers?: string | undefined;
    engine?: string | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({ args: negativeValuesJoined(args, OPTIONS), options: OPTIONS, strict: true }));
  } catch (error) {
    io.stderr.write(`lanes gateway: ${(error as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (!values.config) {
    io.stderr.write(`lanes gateway: --config <file> is required\n\n${HELP}`);
    return EXIT.usage;
  }
  const workers = values.workers === undefined ? 1 : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    io.stderr.write(`lanes gateway: --workers must be a whole number from 1 to 64, got "${values.workers}"\n`);
    return EXIT.usage;
  }
  if (values.engine !== undefined && !(GATEWAY_ENGINES as readonly string[]).includes(values.engine)) {
    io.stderr.write(`lanes gateway: --engine must be one of ${GATEWAY_ENGINES.join(', ')}, got "${values.engine}"\n`);
    return EXIT.usage;
  }
  const json = values.json === true;
  const emit = (event: GatewayEvent): void => {
    if (json) writeJsonLine(io.stdout, event);
    else io.stdout.write(`${renderGatewayEvent(event)}\n`);
  };
  try {
    const file = values.config;
    const config = await loadGatewayConfig(file);
    const engine = (values.engine as GatewayEngine | undefined) ?? config.engine;
    const gateway =
      engine === 'nginx'
        ? await startNginxGateway({ config, configFile: file, workers, onEvent: emit })
        : workers === 1
          ? await startGateway({ config, configFile: file, onEvent: emit })
          : await GatewayCluster.start({
              config,
              configFile: file,
              workers,
              workerScript: fileURLToPath(new URL('../gateway-worker.js', import.meta.url)),
              workerEnv: { LANES_GATEWAY_OUTPUT: json ? 'json' : 'text' },
              onEvent: emit,
            });
    // The nginx engine can also end on its own (nginx killed or crashed): then the command fails.
    const failed = 'failed' in gateway ? gateway.failed : undefined;
    const failure = await untilStopped(() => gateway.reloadFromFile('signal').catch(() => undefined), failed);
    await gateway.close();
    if (!failure) return EXIT.ok;
    io.stderr.write(`lanes gateway: ${failure.message}\n`);
    return EXIT.internal;
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CliIo): ExitCode {
  if (error instanceof GatewayError && error.fault === 'user') {
    io.stderr.write(`lanes gateway: ${error.message}\n`);
    return EXIT.usage;
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    io.stderr.write(`lanes gateway: cannot listen: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  io.stderr.write(`lanes gateway: internal error: ${(error as Error).stack ?? String(error)}\n`);
  return EXIT.internal;
}

/** Resolves on SIGINT or SIGTERM, or with the error `failed` brings; SIGHUP calls `onHangup` (reload). */
function untilStopped(onHangup: () => void, failed?: Promise<Error>): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const stop = (error?: Error): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onHangup);
      resolve(error);
    };
    const onSignal = (): void => stop();
    void failed?.then(stop);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onHangup);
  });
}
