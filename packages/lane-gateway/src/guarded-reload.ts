import type { GatewayConfig } from './config-types.js';
import { GatewayConfigError } from './errors.js';
import type { GatewayEventSink, ReloadSource } from './events.js';

/**
 * Reads a new configuration and applies it only if it is valid; a failure is reported as an event and thrown
 * to the caller (the admin API answers 400 with it), and the configuration in force keeps serving.
 */
export async function guardedReload<T>(
  source: ReloadSource,
  read: () => Promise<GatewayConfig>,
  apply: (config: GatewayConfig, source: ReloadSource) => T | Promise<T>,
  emit: GatewayEventSink | undefined,
): Promise<T> {
  try {
    // Applying can fail too: building the routing table reads the lane-token key file.
    return await apply(await read(), source);
  } catch (error) {
    const issues = error instanceof GatewayConfigError ? error.issues : [];
    emit?.({ event: 'reload-failed', source, message: (error as Error).message, issues });
    throw error;
  }
}

/** The error for `POST /admin/reload` on a gateway that was given its configuration as a value. */
export function noConfigFileError(): GatewayConfigError {
  return new GatewayConfigError([{ path: '', message: 'this gateway was started without a config file' }]);
}
