import type { GatewayConfig } from '../config-types.js';
import { mapKey } from './render-service.js';

/**
 * Where the lane a request asks for comes from: a variable holding it, or '' (none, or an untrusted client asking
 * for a lane that is not open). With the native module (native/, `$lanes_native_lane`) that is two `map`s and no
 * njs call; without it, njs/lanes.js `tag`, once per request that carries a carrier.
 */
export function renderLaneTag(
  config: GatewayConfig,
  laneModule: string | undefined,
): { variable: string; lines: string[] } {
  if (laneModule === undefined) return { variable: '$lanes_tag_njs', lines: ['  js_set $lanes_tag_njs lanes.tag;'] };
  return {
    variable: '$lanes_tag_native',
    lines: [
      `  lanes_carriers ${config.carriers.join(' ')};`,
      `  lanes_trace_context_level ${config.traceContext.level};`,
      '  map $lanes_native_lane $lanes_open_tag {',
      ...config.admission.openLanes.map((lane) => `    ${mapKey(lane)} ${lane};`),
      '    default "";',
      '  }',
      '  map $lanes_trusted $lanes_tag_native {',
      '    1 $lanes_native_lane;',
      '    default $lanes_open_tag;',
      '  }',
    ],
  };
}

/**
 * The carrier a split writes for a request that came without any (njs/lanes.js `forwarded` with nothing to keep):
 * the lane member alone, in the first carrier; the other stays absent, as it came.
 */
export function injectedCarrier(config: GatewayConfig): string {
  const first = config.carriers[0] ?? 'tracestate';
  return first === 'tracestate'
    ? '      proxy_set_header tracestate "ctx=lane:$lanes_inject";'
    : '      proxy_set_header baggage "lane=$lanes_inject";';
}
