import type { GatewayEventSink } from './events.js';
import { Gateway } from './gateway.js';
import { isPrimaryMessage, type PrimaryMessage, type WorkerMessage } from './worker-protocol.js';

function send(message: WorkerMessage): void {
  process.send?.(message);
}

/**
 * The body of one worker process of a gateway cluster: waits for its configuration from the primary, serves the
 * shared listener, and answers the primary's metrics and health questions. Access events go to `onAccess` here,
 * in the worker (no IPC on the hot path); other events go to the primary, which reports each change once.
 */
export function runGatewayWorker(onAccess: GatewayEventSink): void {
  if (!process.send) throw new Error('runGatewayWorker must run in a process forked by a gateway cluster');
  let gateway: Gateway | undefined;
  let starting = false;
  const onEvent: GatewayEventSink = (event) => {
    if (event.event === 'access') onAccess(event);
    else if (event.event !== 'reloaded') send({ type: 'lanes-event', event });
  };
  const stop = async (): Promise<void> => {
    await gateway?.close();
    process.disconnect?.();
    process.exit(0);
  };
  process.on('message', (message: unknown) => {
    if (!isPrimaryMessage(message)) return;
    void handle(message as PrimaryMessage).catch((error: Error) =>
      send({ type: 'lanes-failed', message: error.message }),
    );
  });
  process.on('disconnect', () => void stop());
  // The primary decides when to stop; a Ctrl-C reaching the whole process group must not kill workers first.
  process.on('SIGINT', () => undefined);
  send({ type: 'lanes-waiting' });

  async function handle(message: PrimaryMessage): Promise<void> {
    switch (message.type) {
      case 'lanes-config':
        if (gateway) {
          gateway.reload(message.config, message.source);
        } else if (!starting) {
          starting = true;
          gateway = await Gateway.start({ config: message.config, admin: false, watch: false, onEvent });
          send({ type: 'lanes-ready', url: gateway.url });
        }
        return;
      case 'lanes-metrics':
        send({ type: 'lanes-metrics', id: message.id, stats: gateway ? await gateway.metrics() : [] });
        return;
      case 'lanes-health':
        send({ type: 'lanes-health', id: message.id, report: gateway ? await gateway.health() : [] });
        return;
      case 'lanes-leaks':
        send({ type: 'lanes-leaks', id: message.id, leaks: gateway ? await gateway.leaks() : [] });
        return;
      case 'lanes-stop':
        await stop();
        return;
    }
  }
}
