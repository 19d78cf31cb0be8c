import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliIo, EXIT, type ExitCode, writeJsonLine } from '@lanes/cli-kit';
import { type DeployResult, type PlatformInfo, type ProjectSession, readPlatformInfo, runPlatform } from '@lanes/core';
import { lanesCommand } from '../lanes-command.js';
import { PROJECT_OPTIONS, withProject } from '../project-options.js';
import { LOCAL_PROVIDER_OPTION, refuseNonLocal } from '../providers.js';
import { renderGatewayEvent } from '../render-gateway-event.js';

const DESCRIPTION = `Starts the local platform for the project: the lane gateway, every service's default lane and the lanes declared
in lanes.json, and a supervisor that restarts replicas that die. Runs until Ctrl-C (then everything stops), or
with --detach in the background until 'lanes down'. Lanes deployed earlier come back at their revisions.`;

/** Set on the background `lanes up` that `--detach` starts: its log must not tell a reader to press Ctrl-C. */
const DETACHED_ENV = 'LANES_UP_DETACHED';

const LANES_BIN = fileURLToPath(new URL('../../bin/lanes.js', import.meta.url));

function readyText(session: ProjectSession, info: PlatformInfo): string {
  const lines = [`lanes platform up: ${info.url} (admin ${info.adminUrl})`];
  const routes = Object.values(session.project.services).map((service) => {
    const lanes = session.store.listLanes({ env: session.project.env, service: service.name }).map((l) => l.lane);
    return `  ${service.name.padEnd(12)} ${service.route.pathPrefix.padEnd(12)} lanes: ${lanes.join(', ')}`;
  });
  const first = Object.values(session.project.services)[0]!;
  const path = first.route.pathPrefix === '/' ? '/' : `${first.route.pathPrefix}/`;
  const projectFlag = session.project.dir === process.cwd() ? '' : ` --project ${session.project.dir}`;
  return [
    ...lines,
    ...routes,
    'Try:',
    `  curl -s ${info.url}${path}`,
    `  curl -s -H 'tracestate: ctx=lane:gray' ${info.url}${path}`,
    `  curl -s -H 'baggage: lane=gray' ${info.url}${path}`,
    `  npx lanes status${projectFlag}`,
    `  npx lanes deploy${projectFlag} ${first.name} pr-1 --set VERSION=2.0.0`,
    process.env[DETACHED_ENV] === '1'
      ? `Running in the background (pid ${process.pid}): lanes down${projectFlag} stops everything.`
      : 'Ctrl-C stops everything.',
  ].join('\n');
}

function failedDeploys(deployed: DeployResult[]): DeployResult[] {
  return deployed.filter((result) => result.type !== 'deployed');
}

export const upCommand = lanesCommand({
  name: 'up',
  summary: 'start the local platform: gateway, default and declared lanes, supervisor',
  description: DESCRIPTION,
  options: {
    detach: { type: 'boolean', short: 'd', description: "run in the background until 'lanes down'" },
    ...LOCAL_PROVIDER_OPTION,
    ...PROJECT_OPTIONS,
  },
  async run({ values, argv }, io) {
    const refused = refuseNonLocal('up', values.provider, io);
    if (refused !== undefined) return refused;
    const json = values.json === true;
    return withProject('up', values, io, (session) =>
      values.detach ? detach(session, argv, io, json) : runInForeground(session, io, json),
    );
  },
});

/** Runs the platform in this process until Ctrl-C or SIGTERM. */
async function runInForeground(session: ProjectSession, io: CliIo, json: boolean): Promise<ExitCode> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const result = await runPlatform(session, {
      signal: controller.signal,
      // Lane leaks are worth a line (the gateway rate-limits them); access lines would drown everything else.
      onGatewayEvent: (event) => {
        if (event.event !== 'lane-leak') return;
        if (json) writeJsonLine(io.stdout, event);
        else io.stdout.write(`${renderGatewayEvent(event)}\n`);
      },
      onReady: (info, deployed) => {
        if (json) writeJsonLine(io.stdout, { result: 'up', ...info, failed: failedDeploys(deployed) });
        else io.stdout.write(`${readyText(session, info)}\n`);
        for (const failure of failedDeploys(deployed)) {
          if ('message' in failure) io.stderr.write(`lanes up: ${failure.message}\n`);
        }
      },
    });
    if (result.type === 'already-running') {
      io.stderr.write(`lanes up: ${result.message}\n`);
      return EXIT.usage;
    }
    return EXIT.ok;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Starts `lanes up` again as a detached process logging to the state folder, and returns once it is up. */
async function detach(session: ProjectSession, args: readonly string[], io: CliIo, json: boolean): Promise<ExitCode> {
  const running = await readPlatformInfo(session.project);
  if (running) {
    io.stderr.write(`lanes up: the platform already runs for this project (pid ${running.pid}, ${running.url})\n`);
    return EXIT.usage;
  }
  const logDir = join(session.project.stateDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'platform.log');
  const fd = openSync(logFile, 'a');
  const childArgs = args.filter((arg) => arg !== '--detach' && arg !== '-d');
  const child = spawn(process.execPath, [LANES_BIN, 'up', ...childArgs], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, [DETACHED_ENV]: '1' },
  });
  child.unref();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const info = await readPlatformInfo(session.project);
    if (info && info.pid === child.pid) {
      if (json) writeJsonLine(io.stdout, { result: 'up', detached: true, logFile, ...info });
      else
        io.stdout.write(
          `lanes platform up in the background: ${info.url} (pid ${info.pid}, log ${logFile}); stop it with lanes down\n`,
        );
      return EXIT.ok;
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  io.stderr.write(`lanes up: the platform did not come up; see ${logFile}\n`);
  return EXIT.internal;
}
