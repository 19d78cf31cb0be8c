import { runGatewayConformance } from './gateway-conformance/run-conformance.js';
import { nginxEngine } from './support/gateway-engines.js';

runGatewayConformance(nginxEngine, {
  'a header named in Connection is not forwarded':
    'nginx forwards headers by fixed name only; dropping the ones a request names in Connection needs per-request header removal, which proxy_set_header cannot do for unknown names',
});
