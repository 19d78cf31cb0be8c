import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGatewayConfig } from '@lanes/gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { parseProject } from '../config/parse-project.js';
import { StateStore } from '../state/state-store.js';
import { renderGatewayConfig } from './gateway-render.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function rendered(gateway: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'lanes-gateway-render-'));
  dirs.push(dir);
  const project = parseProject(
    { project: 'shop', gateway, services: { web: { run: { command: ['node', 'web.js'] } } } },
    { file: join(dir, 'lanes.json'), dir, env: 'dev', params: {} },
  );
  const store = StateStore.open(join(dir, '.lanes'));
  try {
    return parseGatewayConfig(renderGatewayConfig(project, store));
  } finally {
    store.close();
  }
}

describe('the gateway configuration the platform renders', () => {
  it('carries the project file’s trace-context level to the gateway, Level 2 when the file says nothing', () => {
    expect(rendered({ traceContext: { level: 1 } }).traceContext).toEqual({ level: 1 });
    expect(rendered({}).traceContext).toEqual({ level: 2 });
  });

  it('carries the project file’s nginx lane parser to the gateway, njs when the file says nothing', () => {
    expect(rendered({ engine: 'nginx', nginx: { laneParser: 'native' } }).nginx).toEqual({ laneParser: 'native' });
    expect(rendered({ engine: 'nginx' }).nginx).toEqual({ laneParser: 'njs' });
  });
});
