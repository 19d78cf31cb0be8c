import type { ObjectFields } from '@lanes/json-config';
import { CONFIG_DEFAULTS, MAX_TRACES_RANGE, MS_RANGE } from '../config-defaults.js';
import type { LeaksConfig } from '../config-types.js';

const LEAKS_FIELDS = ['enabled', 'maxTraces', 'ttlMs'] as const;

/** The `leaks` block: absent means the defaults (detection on). */
export function readLeaksConfig(root: ObjectFields): LeaksConfig {
  const defaults = CONFIG_DEFAULTS.leaks;
  const fields = root.object('leaks', LEAKS_FIELDS);
  if (!fields) return { ...defaults };
  return {
    enabled: fields.boolean('enabled', defaults.enabled),
    maxTraces: fields.integer('maxTraces', { ...MAX_TRACES_RANGE, default: defaults.maxTraces }),
    ttlMs: fields.integer('ttlMs', { ...MS_RANGE, default: defaults.ttlMs }),
  };
}
