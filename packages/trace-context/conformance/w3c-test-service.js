#!/usr/bin/env node
// The "test service" the official W3C Trace Context test suite drives (test/ in github.com/w3c/trace-context),
// built on @lanes/trace-context. The suite POSTs a JSON list of { url, arguments } with trace headers; for each
// entry this service POSTs `arguments` to `url`, continuing the trace as a participant: same trace id, a new
// parent id per call, its own `lanes` tracestate member on the left, other members kept in order; an invalid
// traceparent restarts the trace and drops the received tracestate (W3C Trace Context Level 2 §3.2, §3.5).
//
// Usage: node packages/trace-context/conformance/w3c-test-service.js [--port <n>] [--level 1|2]
// Build first (npx tsc -b). Prints one line "listening <url>" on stdout once it accepts requests; stops on
// SIGINT/SIGTERM. scripts/w3c-trace-context-suite.sh runs it together with the suite.
import { createServer } from 'node:http';
import {
  childTraceparent,
  formatTraceparent,
  newTraceparent,
  parseTraceparent,
  TRACE_CONTEXT_LEVELS,
  TRACESTATE_RECOMMENDED_MAX_LENGTH,
  TraceState,
} from '../dist/index.js';

const USAGE = 'usage: w3c-test-service.js [--port <0-65535>] [--level 1|2]';
const VENDOR_KEY = 'lanes';
/** The suite sends a few hundred bytes; anything near this is not the suite. */
const MAX_BODY_BYTES = 1_048_576;
const MAX_CALLBACKS = 64;
const CALLBACK_TIMEOUT_MS = 5_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** @param {string[]} argv */
function parseArgs(argv) {
  let port = 0;
  /** @type {1 | 2} */
  let level = 2;
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--port' && /^\d{1,5}$/.test(value ?? '') && Number(value) <= 65535) port = Number(value);
    else if (flag === '--level' && TRACE_CONTEXT_LEVELS.some((l) => String(l) === value)) level = Number(value);
    else
      throw new Error(`${flag === undefined ? 'missing argument' : `bad argument ${flag} ${value ?? ''}`}\n${USAGE}`);
  }
  return { port, level };
}

/**
 * The list of calls to make, or a message saying what is wrong with the body.
 * @param {unknown} body
 * @returns {{ url: URL, body: string }[] | string}
 */
function readActions(body) {
  if (!Array.isArray(body)) return 'expected a JSON array of { "url", "arguments" }';
  if (body.length > MAX_CALLBACKS) return `at most ${MAX_CALLBACKS} calls per request`;
  const actions = [];
  for (const [index, entry] of body.entries()) {
    const url = URL.canParse(entry?.url) ? new URL(entry.url) : undefined;
    if (url === undefined || url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) {
      return `[${index}].url: expected an http:// URL on a loopback host`;
    }
    actions.push({ url, body: JSON.stringify(entry.arguments ?? []) });
  }
  return actions;
}

/** @param {import('node:http').IncomingMessage} req @returns {Promise<string | undefined>} */
async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Calls each url in turn as a participant of the received trace.
 * @param {import('node:http').IncomingMessage} req
 * @param {{ url: URL, body: string }[]} actions
 * @param {1 | 2} level
 */
async function propagate(req, actions, level) {
  const options = { traceContextLevel: level };
  // headersDistinct: two traceparent fields are invalid, and tracestate fields are combined in order.
  const received = parseTraceparent(req.headersDistinct.traceparent, options);
  const parent = received ?? newTraceparent(options);
  // A tracestate is read only next to a valid traceparent; a restarted trace starts an empty one.
  const state = received
    ? TraceState.parse(req.headersDistinct.tracestate, options)
    : TraceState.parse(undefined, options);
  for (const action of actions) {
    const child = childTraceparent(parent);
    const tracestate = state.set(VENDOR_KEY, child.parentId).serialize(TRACESTATE_RECOMMENDED_MAX_LENGTH);
    const response = await fetch(action.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: formatTraceparent(child), tracestate },
      body: action.body,
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    });
    await response.arrayBuffer();
  }
}

/** @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} body */
function answer(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** @param {1 | 2} level */
function createService(level) {
  return createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/test') return answer(res, 404, { error: 'POST /test only' });
    const text = await readBody(req);
    if (text === undefined) return answer(res, 413, { error: `body over ${MAX_BODY_BYTES} bytes` });
    let actions;
    try {
      actions = readActions(JSON.parse(text));
    } catch {
      actions = 'body is not JSON';
    }
    if (typeof actions === 'string') return answer(res, 400, { error: actions });
    try {
      await propagate(req, actions, level);
      answer(res, 200, { calls: actions.length });
    } catch (error) {
      answer(res, 502, { error: `a call failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  });
}

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const server = createService(args.level);
  server.listen(args.port, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : args.port;
    process.stdout.write(`listening http://127.0.0.1:${port}/test (Trace Context Level ${args.level})\n`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main();
