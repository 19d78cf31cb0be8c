import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestServer, startIngestServer } from './ingest-server.js';

let server: IngestServer;
beforeAll(async () => {
  server = await startIngestServer();
});
afterAll(async () => {
  await server.close();
});

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

describe('GET /debug/profile', () => {
  it('returns a V8 .cpuprofile for seconds=1, one profile at a time', async () => {
    // Two overlapping requests, whatever order they arrive in: one profiles, the other is told to wait.
    const responses = await Promise.all([
      fetch(`${server.url}/debug/profile?seconds=1`),
      fetch(`${server.url}/debug/profile?seconds=1`),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const response = responses.find((r) => r.status === 200)!;
    expect(response.headers.get('content-disposition')).toMatch(/\.cpuprofile/);
    const profile = (await response.json()) as CpuProfile;
    expect(profile.nodes.length).toBeGreaterThan(0);
    expect(profile.nodes[0]!.callFrame.functionName).toBe('(root)');
    expect(profile.endTime).toBeGreaterThan(profile.startTime);
    const busy = responses.find((r) => r.status === 409)!;
    expect(((await busy.json()) as { error: string }).error).toMatch(/already/);
  });

  it('rejects seconds out of 1..60 with the reason', async () => {
    for (const seconds of ['0', '999', '1.5', 'abc']) {
      const response = await fetch(`${server.url}/debug/profile?seconds=${seconds}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain('from 1 to 60');
    }
  });
});
