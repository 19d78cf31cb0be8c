import { describe, expect, it } from 'vitest';
import { TraceError } from '../errors.js';
import { startIngestServer } from './ingest-server.js';

// The numeric options' ranges are the library's rule (the CLI only parses numbers): refused before anything listens.
describe('startIngestServer options', () => {
  it('refuses a negative or non-finite maxSpeed, maxSessions below 1 and a negative idle timeout', async () => {
    const refused = [
      [{ maxSpeed: -1 }, /maxSpeed must be a number >= 0, got -1/],
      [{ maxSpeed: Number.NaN }, /maxSpeed must be a number >= 0, got NaN/],
      [{ maxSessions: 0 }, /maxSessions must be a whole number >= 1/],
      [{ idleTimeoutMs: -5 }, /idleTimeoutMs must be a number >= 0/],
    ] as const;
    for (const [options, message] of refused) {
      const error = await startIngestServer({ port: 0, ...options }).then(
        (server) => server.close().then(() => undefined),
        (error: unknown) => error,
      );
      expect(error).toBeInstanceOf(TraceError);
      expect((error as TraceError).message).toMatch(message);
    }
  });

  it('takes maxSpeed 0 (nothing may move)', async () => {
    const server = await startIngestServer({ port: 0, maxSpeed: 0 });
    await server.close();
  });
});
