import type { GatewayEvent } from '@lanes/gateway';

/** One human-readable line per gateway event; `--json` prints the event itself instead. */
export function renderGatewayEvent(event: GatewayEvent): string {
  switch (event.event) {
    case 'listening':
      return `lanes gateway listening on ${event.url} (${event.adminUrl ? `admin ${event.adminUrl}` : 'no admin API'}, ${event.workers} worker${event.workers === 1 ? '' : 's'})`;
    case 'access': {
      const asked = event.requestedLane && event.requestedLane !== event.lane ? ` asked ${event.requestedLane}` : '';
      const error = event.error ? ` ${event.error}` : '';
      return `${event.method} ${event.path} -> ${event.service || '-'}/${event.lane || '-'} (${event.choice}${asked}) ${event.status} ${event.durationMs}ms${error}`;
    }
    case 'replica-health':
      return `replica ${event.replica} is ${event.healthy ? 'healthy' : 'unhealthy'} (${event.via}: ${event.reason})`;
    case 'reloaded': {
      const ignored = event.ignored.length > 0 ? `; restart to apply ${event.ignored.join(', ')}` : '';
      return `configuration reloaded (${event.source}, ${event.services} service${event.services === 1 ? '' : 's'})${ignored}`;
    }
    case 'reload-failed':
      return `configuration NOT reloaded (${event.source}), the previous one keeps serving:\n${event.message}`;
    case 'lane-leak': {
      const carried = event.carried ? `lane ${event.carried}` : 'no lane';
      const more = event.suppressed > 0 ? ` (${event.suppressed} more not logged)` : '';
      return `lane leak: trace ${event.traceId} left lane ${event.lane} at ${event.from} -> ${event.to} (arrived with ${carried})${more}`;
    }
    case 'engine-exited': {
      const next =
        event.restartInMs === undefined
          ? 'not restarted: restarts used up'
          : `restarting${event.restartInMs > 0 ? ` in ${event.restartInMs} ms` : ''} (${event.restarts} restart(s) so far)`;
      return `${event.engine} (pid ${event.pid}) exited unexpectedly (code ${event.code}, signal ${event.signal}); ${next}`;
    }
    case 'engine-restarted':
      return `${event.engine} restarted (pid ${event.pid}, restart ${event.restarts}), serving again`;
    case 'error':
      return `error: ${event.message}`;
  }
}
