import { runGatewayConformance } from './gateway-conformance/run-conformance.js';
import { nodeEngine } from './support/gateway-engines.js';

runGatewayConformance(nodeEngine);
