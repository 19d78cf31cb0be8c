// The example "cart" service: the downstream end of the chain. It answers with who it is and the lane headers it got.
import { serveExample } from './serve.js';

serveExample('cart', 4101);
