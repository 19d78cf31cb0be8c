import { fileURLToPath } from 'node:url';
import { EXIT, type ExitCode, writeJsonLine } from '@lanes/cli-kit';
import {
  GATEWAY_ENGINES,
  GatewayCluster,
  type GatewayEvent,
  loadGatewayConfig,
  RESTART_DEFAULTS,
  startGateway,
  startNginxGateway,
} from '@lanes/gateway';
import { lanesCommand } from '../lanes-command.js';
import { renderGatewayEvent } from '../render-gateway-event.js';

/** `lanes gateway`: start, render events, reload on SIGHUP, drain on SIGINT/SIGTERM. */
export const gatewayCommand = lanesCommand({
  name: 'gateway',
  summary: 'run the lane gateway on its own (see docs/gateway.md)',
  description: `Runs the lane-aware HTTP gateway described by <file> (see docs/gateway.md) until SIGINT or SIGTERM.
SIGHUP and any change of the file reload it without dropping requests; so does 'POST /admin/reload' with the
bearer token of admin.tokenFile (see docs/gateway.md, "The admin API").`,
  options: {
    config: {
      type: 'string',
      short: 'c',
      value: '<file>',
      required: true,
      description: 'gateway configuration (JSON)',
    },
    workers: { type: 'integer', value: '<n>', default: '1', description: 'proxy processes sharing the port' },
    engine: {
      type: 'choice',
      choices: GATEWAY_ENGINES,
      description:
        'node (the embedded proxy) or nginx (Debian\'s nginx and njs, run and reloaded by lanes); default: the file\'s "engine", else node (docs/gateway.md, "Choosing an engine")',
    },
    'max-restarts': {
      type: 'integer',
      value: '<n>',
      default: String(RESTART_DEFAULTS.maxRestarts),
      description: `nginx engine: restarts of an nginx that exited unasked within ${RESTART_DEFAULTS.windowMs / 60_000} minutes, after a doubling wait; one more exit fails the command (0: the first does)`,
    },
    json: {
      type: 'boolean',
      description: 'one JSON object per line on stdout, the first {"event":"listening",...}',
      common: true,
    },
  },
  async run({ values }, io) {
    const workers = values.workers ?? 1;
    if (workers < 1 || workers > 64) {
      io.stderr.write(`lanes gateway: --workers must be a whole number from 1 to 64, got "${values.workers}"\n`);
      return EXIT.usage;
    }
    const maxRestarts = values['max-restarts'] ?? RESTART_DEFAULTS.maxRestarts;
    if (maxRestarts < 0 || maxRestarts > 1000) {
      io.stderr.write(
        `lanes gateway: --max-restarts must be a whole number from 0 to 1000, got "${values['max-restarts']}"\n`,
      );
      return EXIT.usage;
    }
    const json = values.json === true;
    const emit = (event: GatewayEvent): void => {
      if (json) writeJsonLine(io.stdout, event);
      else io.stdout.write(`${renderGatewayEvent(event)}\n`);
    };
    const file = values.config as string;
    try {
      const config = await loadGatewayConfig(file);
      const engine = values.engine ?? config.engine;
      const gateway =
        engine === 'nginx'
          ? await startNginxGateway({ config, configFile: file, workers, onEvent: emit, restart: { maxRestarts } })
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
      // The nginx engine can also end on its own (nginx keeps dying, restarts used up): then the command fails.
      const failed = 'failed' in gateway ? gateway.failed : undefined;
      const failure = await untilStopped(() => gateway.reloadFromFile('signal').catch(() => undefined), failed);
      await gateway.close();
      if (!failure) return EXIT.ok;
      io.stderr.write(`lanes gateway: ${failure.message}\n`);
      return EXIT.internal;
    } catch (error) {
      return cannotListen(error, io.stderr);
    }
  },
});

/** A port in use or not ours to take is the user's to fix: one line, exit 2; anything else goes on up. */
function cannotListen(error: unknown, stderr: NodeJS.WritableStream): ExitCode {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
  stderr.write(`lanes gateway: cannot listen: ${(error as Error).message}\n`);
  return EXIT.usage;
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
