import { resolve } from 'node:path';
import { CONFIG_DEFAULTS, readAdmissionBasics } from '@lanes/gateway';
import type { ObjectFields } from '@lanes/json-config';
import type { AdmissionSettings, Project } from '../model.js';
import { parseDuration } from './duration.js';
import { PROJECT_DEFAULTS, PROJECT_FIELDS } from './project-defaults.js';

/** A token lifetime: at least a second, at most 30 days, as the gateway allows. */
const MAX_TTL_RANGE = { minMs: 1000, maxMs: 2_592_000_000 };

function defaultTokens(stateDir: string): AdmissionSettings['tokens'] {
  const defaults = PROJECT_DEFAULTS.admission.tokens;
  return { keyFile: resolve(stateDir, defaults.keyFile), maxTtlMs: parseDuration(defaults.maxTtl)! };
}

/**
 * The `admission` block: the gateway's own rules (trusted CIDRs, hops, open lanes; checked by the gateway's
 * reader, so both files say the same about a bad entry), with tokens always on and their key in the state folder.
 */
export function readAdmission(root: ObjectFields, stateDir: string): AdmissionSettings {
  const fields = root.object('admission', PROJECT_FIELDS.admission);
  if (!fields) return defaultAdmission(stateDir);
  const basics = readAdmissionBasics(fields);
  const tokens = defaultTokens(stateDir);
  const tokenFields = fields.object('tokens', PROJECT_FIELDS.admissionTokens);
  if (tokenFields) {
    const keyFile = tokenFields.text('keyFile', 'a file name (relative to the state folder)');
    if (keyFile !== undefined) tokens.keyFile = resolve(stateDir, keyFile);
    const text = tokenFields.string('maxTtl');
    if (text !== undefined) {
      const ms = parseDuration(text);
      if (ms === undefined || ms < MAX_TTL_RANGE.minMs || ms > MAX_TTL_RANGE.maxMs) {
        tokenFields.report(
          tokenFields.at('maxTtl'),
          `expected a duration from 1s to 30d like "1h" or "7d", got "${text}"`,
        );
      } else tokens.maxTtlMs = ms;
    }
  }
  return { ...basics, tokens };
}

/** The defaults: loopback and private ranges trusted, `default` open, tokens keyed in the state folder. */
function defaultAdmission(stateDir: string): AdmissionSettings {
  const defaults = CONFIG_DEFAULTS.admission;
  return {
    trusted: [...defaults.trusted],
    trustedHops: defaults.trustedHops,
    tokens: defaultTokens(stateDir),
    openLanes: [...defaults.openLanes],
  };
}

/** The project's admission settings, or the defaults when it was built without them. */
export function admissionSettings(project: Pick<Project, 'admission' | 'stateDir'>): AdmissionSettings {
  return project.admission ?? defaultAdmission(project.stateDir);
}
