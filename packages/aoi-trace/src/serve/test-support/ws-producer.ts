import WebSocket from 'ws';
import type { IngestServer } from '../ingest-server.js';
import type { IngestWsReply } from '../ingest-ws.js';

/**
 * A well-behaved producer on the `ws` client: `send` resolves with the reply to that message. The socket goes into
 * `opened` so that the test's afterEach can close it.
 */
export async function wsProducer(server: IngestServer, opened: WebSocket[]) {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ingest`);
  opened.push(socket);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return (text: string) =>
    new Promise<IngestWsReply>((resolve) => {
      socket.once('message', (data) => resolve(JSON.parse(String(data)) as IngestWsReply));
      socket.send(text);
    });
}
