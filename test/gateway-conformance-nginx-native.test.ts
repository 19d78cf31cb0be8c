import { buildNativeLaneModule, parseGatewayConfig, startNginxEngine } from '@lanes/gateway';
import { beforeAll, expect, it } from 'vitest';
import { runGatewayConformance } from './gateway-conformance/run-conformance.js';
import { nginxNativeEngine } from './support/gateway-engines.js';
import { NGINX_CONFORMANCE_SKIPS } from './support/nginx-conformance-skips.js';

// The real gcc build against nginx-dev, once per nginx version and module source (then cached in ~/.cache/lanes);
// bounded here so the engine's own start never waits on it.
beforeAll(async () => {
  await buildNativeLaneModule({ timeoutMs: 240_000 });
}, 300_000);

runGatewayConformance(nginxNativeEngine, NGINX_CONFORMANCE_SKIPS);

it('reads the lane with the native module, not with njs, under nginx.laneParser "native"', async () => {
  const config = parseGatewayConfig({
    listen: { port: 0 },
    admin: { port: 0 },
    nginx: { laneParser: 'native' },
    services: { shop: { lanes: { default: { replicas: ['http://127.0.0.1:9'] } } } },
  });
  const engine = await startNginxEngine({ config });
  try {
    expect(engine.rendered.text).toMatch(/^load_module \/.*\/ngx_http_lanes_module\.so;$/m);
    expect(engine.rendered.text).toContain('default $lanes_tag_native;');
    expect(engine.rendered.text).not.toContain('lanes.tag');
  } finally {
    await engine.close();
  }
});
