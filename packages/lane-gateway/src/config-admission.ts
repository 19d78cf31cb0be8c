import { dirname, resolve } from 'node:path';
import { childPath, describe, type IssueSink, type ObjectFields } from '@lanes/json-config';
import { isValidLaneName } from '@lanes/trace-context';
import { cidrProblem } from './admission/cidr-list.js';
import { CONFIG_DEFAULTS, TOKEN_TTL_MS_RANGE, TRUSTED_HOPS_RANGE } from './config-defaults.js';
import type { AdmissionConfig } from './config-types.js';

export const ADMISSION_FIELDS = ['trusted', 'trustedHops', 'tokens', 'openLanes'] as const;
const TOKEN_FIELDS = ['keyFile', 'maxTtlMs'] as const;

/** A list of distinct strings each checked by `problem`; `fallback` when absent. Every bad entry is reported. */
function readList(
  fields: ObjectFields<IssueSink>,
  key: string,
  fallback: readonly string[],
  what: string,
  problem: (entry: string) => string | undefined,
): string[] {
  const value = fields.get(key);
  if (value === undefined) return [...fallback];
  const path = fields.at(key);
  if (!Array.isArray(value)) {
    fields.report(path, `expected a list of ${what}, got ${describe(value)}`);
    return [...fallback];
  }
  const out: string[] = [];
  value.forEach((entry: unknown, index) => {
    const at = childPath(path, index);
    const why = typeof entry === 'string' ? problem(entry) : `expected a string, got ${describe(entry)}`;
    if (why) fields.report(at, why);
    else if (out.includes(entry as string)) fields.report(at, `"${entry}" is listed twice`);
    else out.push(entry as string);
  });
  return out;
}

/** Reads `trusted` (CIDRs), `trustedHops` and `openLanes` of an admission block; shared with lanes.json. */
export function readAdmissionBasics(fields: ObjectFields<IssueSink>): Omit<AdmissionConfig, 'tokens'> {
  const defaults = CONFIG_DEFAULTS.admission;
  const trusted = readList(fields, 'trusted', defaults.trusted, 'CIDR ranges', (entry) => {
    const problem = cidrProblem(entry);
    return problem ? `${problem}, got "${entry}"` : undefined;
  });
  const trustedHops = fields.integer('trustedHops', { ...TRUSTED_HOPS_RANGE, default: defaults.trustedHops });
  const openLanes = readList(fields, 'openLanes', defaults.openLanes, 'lane names', (entry) =>
    isValidLaneName(entry) ? undefined : `"${entry}" is not a lane name (1-63 of a-z 0-9 and "-")`,
  );
  return { trusted, trustedHops, openLanes };
}

/** The gateway's `admission` block; absent, the documented defaults (loopback and private ranges trusted). */
export function readAdmission(root: ObjectFields<IssueSink>, file: string | undefined): AdmissionConfig {
  const defaults = CONFIG_DEFAULTS.admission;
  const fields = root.object('admission', ADMISSION_FIELDS);
  if (!fields) {
    return { trusted: [...defaults.trusted], trustedHops: defaults.trustedHops, openLanes: [...defaults.openLanes] };
  }
  const admission: AdmissionConfig = readAdmissionBasics(fields);
  const tokens = fields.object('tokens', TOKEN_FIELDS);
  if (tokens) {
    const what = 'the path of the key file (created with mode 0600 on first use)';
    if (!tokens.has('keyFile')) tokens.missing('keyFile', `missing; give ${what}`);
    const keyFile = tokens.text('keyFile', what);
    const maxTtlMs = tokens.integer('maxTtlMs', { ...TOKEN_TTL_MS_RANGE, default: defaults.maxTtlMs });
    const base = file === undefined ? process.cwd() : dirname(resolve(file));
    admission.tokens = { keyFile: resolve(base, keyFile ?? ''), maxTtlMs };
  }
  return admission;
}
