// The example "shop" service: answers with who it is, and for /shop/checkout calls the cart service through the
// lane gateway, passing the lane headers on so the cart call stays in the request's lane.
import { request } from 'node:http';
import { propagatedHeaders } from './lane-headers.js';
import { serveExample } from './serve.js';

const gateway = process.env.LANES_GATEWAY_URL;

function callCart(req) {
  return new Promise((resolve) => {
    if (!gateway) return resolve({ error: 'LANES_GATEWAY_URL is not set' });
    const call = request(`${gateway}/cart/items`, { headers: propagatedHeaders(req), timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => {
        try {
          resolve(JSON.parse(text));
        } catch {
          resolve({ status: res.statusCode, body: text });
        }
      });
    });
    call.on('timeout', () => call.destroy(new Error('cart timed out')));
    call.on('error', (error) => resolve({ error: error.message }));
    call.end();
  });
}

serveExample('shop', 4001, async (req, body) => {
  if (req.url?.startsWith('/shop/checkout')) body.cart = await callCart(req);
});
