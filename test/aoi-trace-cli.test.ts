// The aoi-trace command line as a user drives it: simulate, inspect, detect, export/import, diff, query, record,
// view, and what it says about bad input. Real child processes on real files.
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ingestExample } from '../packages/aoi-viewer/src/protocol/ingest-example.js';
import { runAoiTrace } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-trace-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A port nobody listens on right now (the OS picks it; it is closed again before use). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function run(args: string[]) {
  const cli = runAoiTrace(args);
  const code = await cli.exit();
  return { code, stdout: cli.lines.join('\n'), stderr: cli.stderr() };
}

const clean = join(dir, 'clean.aoitrace');
const buggy = join(dir, 'buggy.aoitrace');
const small = ['--scenario', 'random-walk', '--entities', '60', '--ticks', '80'];

describe('aoi-trace CLI', () => {
  it('simulates a clean run that inspects as complete and detects as clean (exit 0)', async () => {
    const sim = await run(['simulate', ...small, '--out', clean, '--json']);
    expect(sim.code, sim.stderr).toBe(0);
    expect(JSON.parse(sim.stdout).ticks).toBe(80);

    const inspect = await run(['inspect', clean, '--json', '--verify']);
    expect(inspect.code, inspect.stderr).toBe(0);
    const report = JSON.parse(inspect.stdout);
    expect(report.integrity.complete).toBe(true);
    expect(report.stats.ticks).toBe(80);

    const detect = await run(['detect', clean]);
    expect(detect.code, detect.stdout).toBe(0);
    expect(detect.stdout).toContain('0 finding(s)');
  });

  it('finds injected torn views and exits 3 with the entities and ticks', async () => {
    const sim = await run(['simulate', ...small, '--inject', 'torn-view=0.2', '--out', buggy, '--json']);
    expect(sim.code, sim.stderr).toBe(0);
    expect(JSON.parse(sim.stdout).injected.tornView ?? JSON.parse(sim.stdout).injected['torn-view']).toBeGreaterThan(0);
    const detect = await run(['detect', buggy, '--only', 'torn-view', '--json']);
    expect(detect.code).toBe(3);
    const report = JSON.parse(detect.stdout);
    expect(report.counts['torn-view']).toBeGreaterThan(0);
    expect(report.findings[0].entities.length).toBeGreaterThan(0);
    const ranged = await run(['detect', buggy, '--only', 'torn-view', '--from', '40', '--to', '60', '--json']);
    const part = JSON.parse(ranged.stdout);
    expect(part).toMatchObject({ firstTick: 40, lastTick: 60, ticks: 21 });
    for (const finding of part.findings) expect(finding.tick).toBeGreaterThanOrEqual(40);
  });

  it('exports NDJSON, imports it back, and the round trip diffs as identical', async () => {
    const ndjson = join(dir, 'clean.ndjson');
    const back = join(dir, 'back.aoitrace');
    expect((await run(['export', clean, '--format', 'ndjson', '--out', ndjson])).code).toBe(0);
    expect(readFileSync(ndjson, 'utf8').split('\n')[0]).toContain('"type":"header"');
    const imported = await run(['import', ndjson, '--out', back]);
    expect(imported.code, imported.stderr).toBe(0);
    const diff = await run(['diff', clean, back]);
    expect(diff.code, diff.stdout).toBe(0);
    expect(diff.stdout).toContain('identical');
    const differs = await run(['diff', clean, buggy, '--json']);
    expect(differs.code).toBe(3);
    expect(JSON.parse(differs.stdout).firstDivergentTick).not.toBeNull();
  });

  it('exports Chrome trace events and OTLP JSON that parse', async () => {
    const chrome = await run(['export', clean, '--format', 'chrome']);
    expect(chrome.code, chrome.stderr).toBe(0);
    expect(JSON.parse(chrome.stdout).traceEvents.length).toBeGreaterThan(80);
    const otlp = await run(['export', clean, '--format', 'otlp']);
    expect(JSON.parse(otlp.stdout).resourceSpans[0].scopeSpans[0].spans.length).toBeGreaterThanOrEqual(80);
  });

  it('answers queries: state, events and the causal chain of an event', async () => {
    const state = await run(['query', clean, 'state', '--tick', '40', '--json']);
    expect(state.code, state.stderr).toBe(0);
    expect(JSON.parse(state.stdout).tick).toBe(40);
    const events = await run(['query', clean, 'events', '--kind', 'enter', '--limit', '3', '--json']);
    const lines = events.stdout.split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines.every((e) => e.kind === 'enter')).toBe(true);
    const chain = await run(['query', clean, 'event', '--id', String(lines[2].id), '--json']);
    expect(chain.code, chain.stderr).toBe(0);
    expect(JSON.parse(chain.stdout).event.id).toBe(lines[2].id);
  });

  it('says what is wrong with bad input and exits 2', async () => {
    const missing = await run(['detect', join(dir, 'nope.aoitrace')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.aoitrace');
    const badTick = await run(['query', clean, 'state', '--tick', '5000']);
    expect(badTick.code).toBe(2);
    expect(badTick.stderr).toMatch(/5000/);
    const badInject = await run(['simulate', ...small, '--inject', 'gremlins=1', '--out', join(dir, 'x.aoitrace')]);
    expect(badInject.code).toBe(2);
    expect(badInject.stderr).toContain('gremlins');
    const ndjson = join(dir, 'bad.ndjson');
    writeFileSync(ndjson, '{"type":"header","version":1}\n{"type":"tick","tick":0,"moves":[{"id":7,"x":1,"y":2}]}\n');
    const imported = await run(['import', ndjson, '--out', join(dir, 'bad.aoitrace')]);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toMatch(/line 2/);
    expect(() => statSync(join(dir, 'bad.aoitrace'))).toThrow();
  });

  it('reads a cut file up to the cut and says where it was cut (exit 3)', async () => {
    const long = join(dir, 'long.aoitrace');
    expect((await run(['simulate', ...small.slice(0, 4), '--ticks', '600', '--out', long])).code).toBe(0);
    const cut = join(dir, 'cut.aoitrace');
    writeFileSync(cut, readFileSync(long));
    truncateSync(cut, Math.floor(statSync(long).size * 0.6));
    const inspect = await run(['inspect', cut, '--json']);
    expect(inspect.code).toBe(3);
    const report = JSON.parse(inspect.stdout);
    expect(report.integrity.complete).toBe(false);
    expect(report.stats.ticks).toBeGreaterThan(0);
    expect(report.stats.ticks).toBeLessThan(600);
    expect(report.integrity.cutAt).toBeLessThanOrEqual(statSync(cut).size);
  });

  it('records a game server that prints NDJSON, rejecting its bad line with the reason', async () => {
    const server = join(dir, 'server.mjs');
    writeFileSync(
      server,
      [
        'const w = (o) => console.log(JSON.stringify(o));',
        "w({ type: 'header', version: 1, source: 'toy server' });",
        "w({ type: 'tick', tick: 0, time: 1000, spawns: [{ id: 1, x: 0, y: 0, viewRadius: 10 }, { id: 2, x: 5, y: 0, viewRadius: 10 }], events: [{ kind: 'enter', watcher: 1, target: 2 }, { kind: 'enter', watcher: 2, target: 1 }] });",
        "w({ type: 'tick', tick: 1, time: 1100, moves: [{ id: 3, x: 1, y: 1 }] });",
        "w({ type: 'tick', tick: 2, time: 1200, moves: [{ id: 2, x: 50, y: 0 }], events: [{ kind: 'exit', watcher: 1, target: 2 }, { kind: 'exit', watcher: 2, target: 1 }] });",
      ].join('\n'),
    );
    const out = join(dir, 'recorded.aoitrace');
    const record = await run(['record', '--out', out, '--', process.execPath, server]);
    expect(record.code).toBe(3);
    expect(record.stderr).toMatch(/line 3.*entity 3|entity 3.*line 3/s);
    const inspect = await run(['inspect', out, '--json']);
    expect(JSON.parse(inspect.stdout).stats.ticks).toBe(2);
  });

  it('serves the viewer for a trace and prints its URL', async () => {
    const view = runAoiTrace(['view', clean, '--no-detect']);
    try {
      const line = await view.waitForLine((l) => l.includes('viewer on'), 20_000);
      const url = line.slice(line.indexOf('http'));
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<');
    } finally {
      view.child.kill('SIGINT');
      expect(await view.exit()).toBe(0);
    }
  });

  it('runs the detectors behind the viewer and shows their anomalies when they finish', async () => {
    const view = runAoiTrace(['view', buggy, '--json']);
    try {
      const { url } = JSON.parse(await view.waitForLine((l) => l.startsWith('{'), 20_000)) as { url: string };
      await vi.waitFor(() => expect(view.stderr()).toContain('detectors done'), { timeout: 20_000, interval: 100 });
      const anomalies = (await (await fetch(`${url}api/anomalies?source=a`)).json()) as { detector: string }[];
      expect(anomalies.some((a) => a.detector === 'torn-view')).toBe(true);
      // The exact totals come with them, so the page can say how many of how many it lists.
      const info = (await (await fetch(`${url}api/info`)).json()) as {
        sources: { detection: { state: string; counts: Record<string, number> } }[];
      };
      const { detection } = info.sources[0]!;
      expect(detection.state).toBe('done');
      const listed = anomalies.filter((a) => a.detector === 'torn-view').length;
      expect(detection.counts['torn-view']).toBeGreaterThanOrEqual(listed);
    } finally {
      view.child.kill('SIGINT');
      expect(await view.exit()).toBe(0);
    }
  });

  it('serves the live viewer on --view-port with --bounds as its world; the page’s example is accepted', async () => {
    const port = await freePort();
    const serve = runAoiTrace(['serve', '--view', '--view-port', String(port), '--bounds=-50,-50,50,50', '--json']);
    try {
      const { ingest, viewer } = JSON.parse(await serve.waitForLine((l) => l.startsWith('{'), 20_000));
      expect(new URL(viewer).port).toBe(String(port));
      const before = (await (await fetch(`${viewer}api/info`)).json()) as {
        ingest: string;
        sources: { last: number | null; detection: { state: string } }[];
      };
      expect(before.ingest).toBe(ingest);
      expect(before.sources[0]!.last).toBeNull();
      expect(before.sources[0]!.detection.state).toBe('running');
      // The page's copyable example, run as the shell would: the lines between the here-document markers.
      const body = ingestExample(ingest).split('\n').slice(1, -1).join('\n');
      const posted = await fetch(ingest, { method: 'POST', body });
      expect(posted.status, await posted.text()).toBe(200);
      const after = (await (await fetch(`${viewer}api/info`)).json()) as typeof before & {
        sources: { header: { attributes: Record<string, string> } }[];
      };
      expect(after.sources[0]!.last).toBe(1);
      // --bounds is the world the page fits its map to.
      expect(after.sources[0]!.header.attributes['world.bounds']).toBe('-50,-50,50,50');
    } finally {
      serve.child.kill('SIGINT');
      expect(await serve.exit()).toBe(0);
    }
  });

  it('refuses --view-port without --view', async () => {
    const serve = await run(['serve', '--view-port', '8080']);
    expect(serve.code).not.toBe(0);
    expect(serve.stderr).toContain('--view-port needs --view');
  });

  it('serves a live ingest that validates, records, and shows the stream in the viewer', async () => {
    const out = join(dir, 'live.aoitrace');
    const serve = runAoiTrace(['serve', '--out', out, '--view', '--json']);
    try {
      const { ingest, viewer } = JSON.parse(await serve.waitForLine((l) => l.startsWith('{'), 20_000));
      const lines = [
        { type: 'header', version: 1, source: 'live test' },
        {
          type: 'tick',
          tick: 0,
          time: 1000,
          spawns: [
            { id: 1, x: 0, y: 0, viewRadius: 10 },
            { id: 2, x: 5, y: 0, viewRadius: 10 },
          ],
          events: [
            { kind: 'enter', watcher: 1, target: 2 },
            { kind: 'enter', watcher: 2, target: 1 },
          ],
        },
        { type: 'tick', tick: 1, time: 1100, moves: [{ id: 9, x: 1, y: 1 }] },
      ];
      const posted = await fetch(ingest, { method: 'POST', body: lines.map((l) => JSON.stringify(l)).join('\n') });
      expect(posted.status).toBe(422);
      expect(JSON.stringify(await posted.json())).toMatch(/entity 9|9/);
      const info = (await (await fetch(`${viewer}api/info`)).json()) as { sources: { kind: string; last: number }[] };
      expect(info.sources[0]?.kind).toBe('live');
      expect(info.sources[0]?.last).toBe(0);
    } finally {
      serve.child.kill('SIGINT');
      expect(await serve.exit()).toBe(0);
    }
    const inspect = await run(['inspect', out, '--json']);
    expect(JSON.parse(inspect.stdout).stats.ticks).toBe(1);
    expect(JSON.parse(inspect.stdout).integrity.complete).toBe(true);
  });
});
