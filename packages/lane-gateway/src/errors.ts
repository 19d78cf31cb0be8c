/** Who caused an error: the user can fix `user` errors; `system` errors are ours or the machine's. */
export type ErrorFault = 'user' | 'system';

/** The repository's error brand, with `code` and `fault`: README, "Errors". */
const ERROR_BRAND = Symbol.for('@lanes/error');

/** Every code a `GatewayError` carries, with what it means; scripts match on the code, never on the message. */
export const GATEWAY_ERROR_CODES = {
  /** The gateway configuration cannot be used (every issue listed). */
  configInvalid: 'GATEWAY_CONFIG_INVALID',
  /** The worker processes did not listen in time. */
  workersTimeout: 'GATEWAY_WORKERS_TIMEOUT',
  /** A worker process failed to start the lanes. */
  workerFailed: 'GATEWAY_WORKER_FAILED',
  /** A worker process exited before listening. */
  workerExited: 'GATEWAY_WORKER_EXITED',
  /** The lane-token key file is unreadable, not a file, too large, malformed or readable by others. */
  tokenKeyUnusable: 'GATEWAY_TOKEN_KEY_UNUSABLE',
  /** The nginx engine could not start, reload or check its rendered configuration. */
  nginxFailed: 'GATEWAY_NGINX_FAILED',
  /** The native nginx module (native/) could not be built: nginx-dev, gcc or make missing, or the build failed. */
  nginxModuleBuild: 'GATEWAY_NGINX_MODULE_BUILD',
} as const;
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[keyof typeof GATEWAY_ERROR_CODES];

/** Base of every error the gateway throws: a stable code for scripts and whether the user can fix it. */
export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly fault: ErrorFault;

  constructor(code: GatewayErrorCode, message: string, fault: ErrorFault, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayError';
    this.code = code;
    this.fault = fault;
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }
}

/** One problem in a configuration: where (file and JSON path) and what to do. */
export interface ConfigIssue {
  /** JSON path of the field, e.g. `services.shop.lanes.gray.replicas[0]`. */
  path: string;
  message: string;
}

/** A configuration that cannot be used; lists every issue found, not just the first. */
export class GatewayConfigError extends GatewayError {
  readonly file: string | undefined;
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], file?: string) {
    const where = file ? `${file}: ` : '';
    const lines = issues.map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`);
    super(GATEWAY_ERROR_CODES.configInvalid, `${where}invalid gateway configuration\n${lines.join('\n')}`, 'user');
    this.name = 'GatewayConfigError';
    this.file = file;
    this.issues = issues;
  }
}
