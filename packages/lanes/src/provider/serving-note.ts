import type { OpsContext } from '../ops/context.js';
import { readPlatformInfo } from '../ops/gateway-link.js';

/**
 * What deploy, rollback, route and promote say when `lanes up` is not running. The change is recorded (and a
 * deploy's replicas run), but no gateway routes to them and no supervisor restarts them: saying "serves revision
 * 13" would be false. They do not refuse: recording first and starting the platform later is a normal workflow.
 */
export const PLATFORM_DOWN_NOTE = 'the platform is not running: nothing serves this until lanes up';

/** Whether the local platform runs now, for the results of the verbs that move traffic. */
export async function platformRunning(ctx: OpsContext): Promise<boolean> {
  return (await readPlatformInfo(ctx.project)) !== undefined;
}

/** `served` when the platform runs, else what was recorded followed by the note. */
export function servingMessage(running: boolean, served: string, recorded: string): string {
  return running ? served : `${recorded}; ${PLATFORM_DOWN_NOTE}`;
}
