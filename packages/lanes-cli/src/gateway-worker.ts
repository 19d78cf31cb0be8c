// The script each worker process of `lanes gateway --workers N` runs; the primary sets LANES_GATEWAY_OUTPUT.

import { writeJsonLine } from '@lanes/cli-kit';
import { runGatewayWorker } from '@lanes/gateway';
import { renderGatewayEvent } from './render-gateway-event.js';

const json = process.env.LANES_GATEWAY_OUTPUT === 'json';
runGatewayWorker((event) => {
  if (json) writeJsonLine(process.stdout, event);
  else process.stdout.write(`${renderGatewayEvent(event)}\n`);
});
