import { TraceError, TraceErrorCode } from '@lanes/aoi-trace';
import type { SourceId } from '../protocol/api-types.js';

/** Reads query parameters, failing with INVALID_ARGUMENT that names the parameter. */
export class Params {
  constructor(private readonly query: URLSearchParams) {}

  int(name: string, fallback?: number): number {
    const raw = this.query.get(name);
    if (raw === null || raw === '') {
      if (fallback !== undefined) return fallback;
      throw bad(name, `the query parameter '${name}' is required (an integer).`);
    }
    const value = Number(raw);
    if (!Number.isSafeInteger(value))
      throw bad(name, `the query parameter '${name}' must be an integer, got '${raw}'.`);
    return value;
  }

  optionalInt(name: string): number | undefined {
    return this.query.get(name) ? this.int(name) : undefined;
  }

  string(name: string, fallback = ''): string {
    return this.query.get(name) ?? fallback;
  }

  source(name = 'source'): SourceId {
    const raw = this.query.get(name) ?? 'a';
    if (raw !== 'a' && raw !== 'b') throw bad(name, `the query parameter '${name}' must be 'a' or 'b', got '${raw}'.`);
    return raw;
  }
}

export const bad = (name: string, message: string) =>
  new TraceError(TraceErrorCode.InvalidArgument, message, { path: `?${name}` });
