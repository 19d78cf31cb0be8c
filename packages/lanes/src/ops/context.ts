import type { IoHost } from '../io-host.js';
import type { Project } from '../model.js';
import type { StateStore } from '../state/state-store.js';

/** What every operation works with: the project model, its state database and the reporting channel. */
export interface OpsContext {
  project: Project;
  store: StateStore;
  io: IoHost;
  /** Local ports handed to replicas. @default DEFAULT_PORT_RANGE (20000-29999) */
  portRange?: [number, number];
}

/** Journal step names: recovery reads them to decide whether a dead operation is finished or undone. */
export const STEPS = {
  revisionRecorded: 'revision-recorded',
  replicaStarted: 'replica-started',
  trafficShifted: 'traffic-shifted',
  oldDraining: 'old-draining',
  laneDeleting: 'lane-deleting',
  promotePlan: 'promote-plan',
} as const;
