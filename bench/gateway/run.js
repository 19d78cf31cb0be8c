#!/usr/bin/env node
// Gateway benchmark: direct vs nginx vs a bare Node proxy vs our gateway, one run, same wrk load, same upstreams.
// What is measured and why: docs/benchmarks.md ("Gateway"). Progress goes to stderr, the markdown to stdout.
import { fileURLToPath } from 'node:url';
import { UsageError } from '../common/flags.js';
import { runMain } from '../common/run-main.js';
import { killAllChildrenNow, stopAllChildren } from './children.js';
import { cpuPressure, describeMachine, loadAverage, toolVersion } from './machine-info.js';
import { measureTarget } from './measure.js';
import { parseOptions, USAGE } from './options.js';
import { bottleneckWarnings, goalLines, markdownTable, summarize, writeResults } from './report.js';
import { targets } from './targets.js';
import { removeAllTempDirs } from './temp-dirs.js';
import { startUpstreams } from './upstreams.js';
import { variantGoalLines, variantTable } from './variant-report.js';
import { wrkArgs } from './wrk-runner.js';

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const options = parseOptions(argv, process.env);
  const known = targets.map((target) => target.id);
  const unknown = (options.only ?? []).filter((id) => !known.includes(id));
  if (unknown.length > 0)
    throw new UsageError(`Unknown target id(s) ${unknown.join(', ')}; known: ${known.join(', ')}.`);
  const selected = targets.filter((target) => options.only === null || options.only.includes(target.id));

  const wrkVersion = toolVersion('wrk');
  if (wrkVersion === null) throw new UsageError('wrk is not installed (Debian: apt-get install -y wrk).');
  const nginxVersion = toolVersion('nginx');
  const startedAt = new Date();
  const machine = describeMachine({ wrk: wrkVersion, nginx: nginxVersion });

  log(
    `gateway bench: ${selected.length} target(s) x ${options.rounds} round(s), wrk -t${options.threads} -c${options.connections}, warm-up ${options.warmupSeconds} s + ${options.durationSeconds} s each`,
  );
  log(
    `machine: ${machine.cpus} CPUs (${machine.cpuModel}), load average ${loadAverage()}, CPU pressure ${cpuPressure()}`,
  );

  const upstreams = await startUpstreams();
  /** @type {Map<string, import('./measure.js').Measurement[]>} */
  const measurements = new Map(selected.map((target) => [target.id, []]));
  // Rounds go over the whole list, so slow drift from other tenants spreads over all targets instead of one.
  for (let round = 1; round <= options.rounds; round++) {
    for (const target of selected) {
      log(`[round ${round}/${options.rounds}] ${target.label}`);
      const outcome =
        target.kind === 'nginx' && nginxVersion === null
          ? {
              type: /** @type {const} */ ('failed'),
              reason: 'nginx is not installed (Debian: apt-get install -y nginx)',
            }
          : await measureTarget(target, upstreams, options, log);
      if (outcome.type === 'measured') {
        const { requestsPerSecond, latencyMs } = outcome.result;
        log(
          `  ${Math.round(requestsPerSecond)} req/s, p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms; CPU pressure ${outcome.cpuPressureAfter}`,
        );
      } else {
        log(`  ${outcome.type.toUpperCase()}: ${outcome.reason}`);
      }
      measurements.get(target.id)?.push(outcome);
    }
  }
  await upstreams.stop();

  const rows = selected.map((target) => summarize(target, measurements.get(target.id) ?? []));
  const shape = { threads: options.threads, connections: options.connections, timeout: options.timeout };
  const exampleArgs = wrkArgs(shape, options.durationSeconds, '<target url>');
  const warnings = bottleneckWarnings(rows);
  const file = await writeResults(resultsDir, startedAt, {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: loadAverage(), cpuPressureAtEnd: cpuPressure() },
    options,
    wrk: `wrk ${exampleArgs.join(' ')}`,
    rows,
    goals: [...goalLines(rows), ...variantGoalLines(rows)],
    warnings,
  });

  console.log(markdownTable(rows));
  console.log('');
  const variants = variantTable(rows);
  if (variants) console.log(`${variants}\n`);
  console.log(
    `Load: \`wrk ${exampleArgs.join(' ').replace(/\S*alternate-lanes\.lua/, 'bench/gateway/alternate-lanes.lua')}\``,
  );
  console.log(`after a ${options.warmupSeconds} s warm-up; median of ${options.rounds} round(s). Raw results: ${file}`);
  if (selected.some((target) => target.traced))
    console.log('Variants (traced load): the same command with `traced` after the tracestate argument.');
  console.log(
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}); at start load ${machine.loadAverageAtStart}, CPU pressure ${machine.cpuPressureAtStart}; at end load ${loadAverage()}, CPU pressure ${cpuPressure()}.`,
  );
  console.log('');
  console.log('Goals (gateway):');
  for (const line of [...goalLines(rows), ...variantGoalLines(rows)]) console.log(line);
  if (warnings.length > 0) {
    console.log('');
    console.log('Upstream may be the bottleneck:');
    for (const line of warnings) console.log(line);
  }
  return rows.some((row) => row.status === 'failed') ? 1 : 0;
}

/** @param {NodeJS.Signals} signal */
async function interrupted(signal) {
  log(`${signal}: stopping all child processes`);
  await stopAllChildren();
  process.exit(130);
}
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);
process.once('exit', () => {
  killAllChildrenNow();
  removeAllTempDirs();
});
await runMain(main, stopAllChildren, log);
