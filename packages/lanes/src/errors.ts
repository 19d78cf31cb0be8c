/** Who can fix an error: `user` (bad input, busy lane) or `system` (a bug, the machine). */
export type ErrorFault = 'user' | 'system';

/** The repository's error brand, with `code` and `fault`: README, "Errors". */
const ERROR_BRAND = Symbol.for('@lanes/error');

/**
 * Every code a `LanesError` of the lanes library and the lanes CLI carries, with what it means (the AWS provider's
 * codes are in `@lanes/aws`'s own registry). Scripts match on the code, never on the message; a new code is added
 * here first.
 */
export const LANES_ERROR_CODES = {
  /** Bad arguments or options. */
  usage: 'LANES_USAGE',
  /** The project files cannot be used (every issue listed). */
  configInvalid: 'LANES_CONFIG_INVALID',
  /** The env name is not a valid name. */
  envInvalid: 'LANES_ENV_INVALID',
  /** A service, lane or env name breaks the naming rules. */
  nameInvalid: 'LANES_NAME_INVALID',
  /** A lane name breaks the naming rules. */
  laneInvalid: 'LANES_LANE_INVALID',
  /** The lane is not known for that service. */
  unknownLane: 'LANES_UNKNOWN_LANE',
  /** The service is not declared in the project. */
  serviceUnknown: 'LANES_SERVICE_UNKNOWN',
  /** No provider of that name. */
  unknownProvider: 'LANES_UNKNOWN_PROVIDER',
  /** The provider package is not installed. */
  providerMissing: 'LANES_PROVIDER_MISSING',
  /** A lane's run command cannot be started. */
  runNotStartable: 'LANES_RUN_NOT_STARTABLE',
  /** The gateway's port is taken. */
  portInUse: 'LANES_PORT_IN_USE',
  /** The gateway's data plane (nginx) kept exiting and was not restarted: `lanes up` ends. */
  gatewayFailed: 'LANES_GATEWAY_FAILED',
  /** No free replica port left in the range. */
  portsExhausted: 'LANES_PORTS_EXHAUSTED',
  /** A replica's log file cannot be written. */
  replicaLogUnwritable: 'LANES_REPLICA_LOG_UNWRITABLE',
  /** A log path escapes the state folder. */
  invalidLogPath: 'LANES_INVALID_LOG_PATH',
  /** A recorded pid is not a pid. */
  invalidPid: 'LANES_INVALID_PID',
  /** The operation to finish or take over is not running. */
  operationNotRunning: 'LANES_OPERATION_NOT_RUNNING',
  /** The state database stayed locked by another process. */
  stateLocked: 'LANES_STATE_LOCKED',
  /** The state database cannot be read (not a database, corrupt, unreadable). */
  stateUnreadable: 'LANES_STATE_UNREADABLE',
  /** The state database was written by a newer lanes. */
  stateTooNew: 'LANES_STATE_TOO_NEW',
  /** A record the operation needs is not in the state database. */
  stateNotFound: 'LANES_STATE_NOT_FOUND',
  /** A value given to the state store is out of range. */
  stateInvalidInput: 'LANES_STATE_INVALID_INPUT',
  /** A lane token's ttl is not a duration. */
  tokenTtlInvalid: 'LANES_TOKEN_TTL_INVALID',
  /** A lane token's ttl exceeds admission.tokens.maxTtl. */
  tokenTtlTooLong: 'LANES_TOKEN_TTL_TOO_LONG',
  /** The lane-token key file is missing, unreadable or readable by others. */
  tokenKeyUnusable: 'LANES_TOKEN_KEY_UNUSABLE',
  /** A params file cannot be read. */
  paramsUnreadable: 'LANES_PARAMS_UNREADABLE',
} as const;
/**
 * The codes of the providers' registries, which throw `LanesError`s too (a provider is part of lanes) but with codes
 * prefixed by their own package: `@lanes/aws` adds its `AWS_ERROR_CODES` here by declaration merging.
 */
// biome-ignore lint/suspicious/noEmptyInterface: providers merge their registries into it
export interface ProviderErrorCodes {}

/** A code of `LANES_ERROR_CODES`, or of a provider's registry merged into `ProviderErrorCodes`. */
export type LanesErrorCode =
  | (typeof LANES_ERROR_CODES)[keyof typeof LANES_ERROR_CODES]
  | ProviderErrorCodes[keyof ProviderErrorCodes];

/** Base of every error the lanes library throws: a stable code for scripts and who can fix it. */
export class LanesError extends Error {
  readonly code: LanesErrorCode;
  readonly fault: ErrorFault;

  constructor(code: LanesErrorCode, message: string, fault: ErrorFault, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LanesError';
    this.code = code;
    this.fault = fault;
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }
}

/** One problem in the project's files: which file, which field (JSON path), what to do. */
export interface ConfigIssue {
  file: string;
  /** JSON path of the field, e.g. `services.shop.run.command`; empty for the whole file. */
  path: string;
  message: string;
}

/** The project's files cannot be used; lists every issue found, grouped by file in the message. */
export class LanesConfigError extends LanesError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const byFile = new Map<string, ConfigIssue[]>();
    for (const issue of issues) byFile.set(issue.file, [...(byFile.get(issue.file) ?? []), issue]);
    const parts = [...byFile].map(
      ([file, list]) => `${file}:\n${list.map((i) => `  ${i.path || '(file)'}: ${i.message}`).join('\n')}`,
    );
    super(LANES_ERROR_CODES.configInvalid, `invalid project configuration\n${parts.join('\n')}`, 'user');
    this.name = 'LanesConfigError';
    this.issues = issues;
  }
}
