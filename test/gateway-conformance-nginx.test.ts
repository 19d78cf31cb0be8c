import { runGatewayConformance } from './gateway-conformance/run-conformance.js';
import { nginxEngine } from './support/gateway-engines.js';
import { NGINX_CONFORMANCE_SKIPS } from './support/nginx-conformance-skips.js';

runGatewayConformance(nginxEngine, NGINX_CONFORMANCE_SKIPS);
