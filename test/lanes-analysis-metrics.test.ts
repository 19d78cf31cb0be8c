import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetricReport } from '@lanes/core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLanesInProcess } from './support/cli.js';
import { untaggedLoad } from './support/gateway.js';
import { createProject, deployApi, type RunningPlatform, startPlatform } from './support/lanes-project.js';

const METRICS_SERVICE = fileURLToPath(new URL('./fixtures/metrics-service.mjs', import.meta.url));

/** The project of the other canary tests, running the counting fixture and judged by its counters. */
async function createMetricsProject(): Promise<string> {
  const dir = await createProject({ api: { pathPrefix: '/', replicas: 2, env: { VERSION: 'v1', BAD_RATE: '0.02' } } });
  const file = join(dir, 'lanes.json');
  const project = JSON.parse(await readFile(file, 'utf8'));
  const api = project.services.api;
  api.run.command = [process.execPath, METRICS_SERVICE];
  api.run.env.METRICS_PATH = '/app/metrics';
  api.analysis = {
    metricsPath: '/app/metrics',
    metrics: [
      { name: 'app_bad_total', per: 'app_requests_total', maxRatio: 1.5, maxIncrease: 0.1 },
      // Never printed by the fixture: a counter missing from an answer counts as 0, so this rule holds.
      { name: 'app_panics_total', max: 0 },
    ],
  };
  await writeFile(file, JSON.stringify(project, null, 2));
  return dir;
}

/** Runs the CLI in this process, as a user would run `lanes ...`. */
const lanes = (args: string[]) => runLanesInProcess(args);

interface AnalysisJson {
  result: string;
  reason: string;
  steps: { percent: number; verdict: string; metrics: MetricReport[] }[];
}

describe('lanes promote --analyze with application metrics', () => {
  let platform: RunningPlatform;
  let dir: string;
  const analyze = ['--analyze', '--steps', '20,50', '--step-seconds', '1.5', '--max-latency-ratio', '1000'];

  beforeAll(async () => {
    dir = await createMetricsProject();
    platform = await startPlatform(dir);
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  const deployGray = (env: Record<string, string>) => deployApi(platform.session, 'gray', env);

  it('aborts a lane whose counter breaks its rule: exit 3, traffic back to default, both values named', async () => {
    expect((await deployGray({ VERSION: 'v2-bad', BAD_RATE: '0.5' })).type).toBe('deployed');
    const stop = untaggedLoad(platform.info.url, 4);
    const run = await lanes(['promote', '--project', dir, 'api', 'gray', ...analyze, '--json']);
    await stop();
    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as AnalysisJson;
    expect(result.result).toBe('aborted');
    expect(result.reason).toMatch(/app_bad_total per app_requests_total [\d.]+ vs default [\d.]+ \(allowed/);
    expect(result.reason).toContain('untagged traffic went back to default');
    const failed = result.steps.at(-1)!;
    expect(failed.verdict).toBe('fail');
    const [bad, panics] = failed.metrics;
    expect(bad).toMatchObject({ name: 'app_bad_total', per: 'app_requests_total', verdict: 'fail' });
    expect(bad!.lane).toBeGreaterThan(0.3);
    expect(bad!.baseline).toBeLessThan(0.1);
    expect(panics).toMatchObject({ name: 'app_panics_total', lane: 0, baseline: 0, verdict: 'pass' });
    const weights = Object.fromEntries(
      platform.session.store.listLanes({ service: 'api' }).map((l) => [l.lane, l.weight]),
    );
    expect(weights).toEqual({ default: 100, gray: 0 });
  }, 40_000);

  it('promotes a lane whose counters stay within the rules, printing each metric per step', async () => {
    expect((await deployGray({ VERSION: 'v2', BAD_RATE: '0' })).type).toBe('deployed');
    const stop = untaggedLoad(platform.info.url, 4);
    const run = await lanes(['promote', '--project', dir, 'api', 'gray', ...analyze]);
    await stop();
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('analysis of dev/api/gray: promoted');
    expect(run.stdout).toMatch(/app_bad_total per app_requests_total +gray 0 +default [\d.]+ +pass/);
    expect(run.stdout).toMatch(/app_panics_total +gray 0 +default 0 +pass/);
    const body = (await (await request(platform.info.url)).body.json()) as { version: string; lane: string };
    expect(body).toMatchObject({ lane: 'default', version: 'v2' });
  }, 40_000);
});
