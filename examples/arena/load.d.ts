// Types of load.js for TypeScript callers (the end-to-end test).

export interface LoadOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:8081. */
  url: string;
  /** Simulated players, 1 to 500. @default 40 */
  players?: number;
  /** How long they play, 0.1 to 600 seconds. @default 20 */
  seconds?: number;
  /** Share of players that tag their connection for `lane`, 0 to 1. @default 0.5 */
  fraction?: number;
  /** @default 'gray' */
  lane?: string;
  /** @default '/arena/play' */
  path?: string;
  /** The page each player also reads every `pollMs` (with its lane tag, if any). @default '/arena/status' */
  statusPath?: string;
  /** 0 to 60000; 0 never polls. @default 1000 */
  pollMs?: number;
  /** Side of the square map the players walk on. @default 400 */
  mapSize?: number;
  /** Walk distance per move (10 moves per second). @default 3 */
  step?: number;
  /** Seed of the players' random walks. @default 7 */
  seed?: number;
}

export interface LoadCounts {
  players: number;
  connectionsOpened: number;
  migrations: number;
  /** Closes the client did not start (after a migrate or at the end), failed upgrades and errors. */
  abnormalCloses: number;
  /** Players that were at some moment (after connecting) without any open connection, or never connected. */
  playersWithoutConnection: number;
  messages: number;
  statusRequests: number;
  /** Status requests that failed or answered other than 200. */
  statusErrors: number;
}

export interface LoadResult extends LoadCounts {
  seconds: number;
  /** Per group: the lane's name for tagged players, "untagged" for the others. */
  groups: Record<string, LoadCounts>;
  /** Welcomes per serving "lane@r<revision>". */
  servedBy: Record<string, number>;
  /** The first few abnormal closes, described. */
  problems: string[];
}

export declare const LOAD_LIMITS: { maxPlayers: number; maxSeconds: number };
export declare function runLoad(options: LoadOptions): Promise<LoadResult>;
