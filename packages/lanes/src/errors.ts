/** Who can fix an error: `user` (bad input, busy lane) or `system` (a bug, the machine). */
export type ErrorFault = 'user' | 'system';

/** The repository's error brand, with `code` and `fault`: README, "Errors". */
const ERROR_BRAND = Symbol.for('@lanes/error');

/**
 * Every code a `LanesError` carries (the lanes library, its AWS provider and the lanes CLI), with what it means.
 * Scripts match on the code, never on the message; a new code is added here first.
 */
export const LANES_ERROR_CODES = {
  USAGE: 'bad arguments or options',
  CONFIG_INVALID: 'the project files cannot be used (every issue listed)',
  ENV_INVALID: 'the env name is not a valid name',
  NAME_INVALID: 'a service, lane or env name breaks the naming rules',
  LANE_INVALID: 'a lane name breaks the naming rules',
  UNKNOWN_LANE: 'the lane is not known for that service',
  SERVICE_UNKNOWN: 'the service is not declared in the project',
  UNKNOWN_PROVIDER: 'no provider of that name',
  PROVIDER_MISSING: 'the provider package is not installed',
  RUN_NOT_STARTABLE: "a lane's run command cannot be started",
  PORT_IN_USE: "the gateway's port is taken",
  PORTS_EXHAUSTED: 'no free replica port left in the range',
  REPLICA_LOG_UNWRITABLE: "a replica's log file cannot be written",
  INVALID_LOG_PATH: 'a log path escapes the state folder',
  INVALID_PID: 'a recorded pid is not a pid',
  OPERATION_NOT_RUNNING: 'the operation to finish or take over is not running',
  STATE_LOCKED: 'the state database stayed locked by another process',
  STATE_UNREADABLE: 'the state database cannot be read (not a database, corrupt, unreadable)',
  STATE_TOO_NEW: 'the state database was written by a newer lanes',
  STATE_NOT_FOUND: 'a record the operation needs is not in the state database',
  STATE_INVALID_INPUT: 'a value given to the state store is out of range',
  TOKEN_TTL_INVALID: "a lane token's ttl is not a duration",
  TOKEN_TTL_TOO_LONG: "a lane token's ttl exceeds admission.tokens.maxTtl",
  TOKEN_KEY_UNUSABLE: 'the lane-token key file is missing, unreadable or readable by others',
  PARAMS_UNREADABLE: 'a params file cannot be read',
  NO_CARRIER: 'no lane carrier the ALB can match is configured',
  SYNTH_CHECKS: "the project does not fit AWS's limits (every problem listed)",
  ALB_QUOTA: 'more listener rules than the ALB quota allows',
  ALB_RULE_LIMIT: 'a listener rule would hold more conditions than the ALB allows',
  ADMISSION_ALB: 'the admission policy cannot be expressed in ALB listener rules',
  RULE_PRIORITY_COLLISION: 'two services claim the same listener-rule priorities',
  PARAMETER_TOO_LARGE: 'a stack parameter exceeds its CloudFormation size limit',
  TEMPLATE_NOT_JSON: 'a template is not JSON',
  TEMPLATE_NO_CONTAINER: 'the app template has no container definition',
  TEMPLATE_TOO_LARGE: 'a template exceeds what CloudFormation accepts',
  TEMPLATE_BUCKET_MISSING: 'a large template needs the template bucket, which the boot stack does not export',
  TEMPLATE_UPLOAD_FAILED: 'the template could not be uploaded',
  ENV_MISMATCH: "the AWS stack belongs to another env than the project's",
  BRANCH_INVALID: 'the branch name is not one the pipeline accepts',
  AWS_TIMEOUT: 'a stack did not settle in time',
  AWS_INTERRUPTED: 'a stack operation was interrupted (Ctrl-C) and left in progress',
  AWS_CREDENTIALS_MISSING: 'no AWS credentials found',
  AWS_REGION_MISSING: 'no AWS region given or configured',
  AWS_CREDENTIALS_REFUSED: 'AWS refused the credentials (expired or invalid)',
  AWS_ACCESS_DENIED: 'the deploying identity lacks a permission',
  AWS_THROTTLED: 'AWS kept throttling the requests',
  AWS_QUOTA: 'an AWS quota was reached',
  AWS_UNREACHABLE: 'the AWS endpoint did not answer',
} as const;
export type LanesErrorCode = keyof typeof LANES_ERROR_CODES;

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
    super('CONFIG_INVALID', `invalid project configuration\n${parts.join('\n')}`, 'user');
    this.name = 'LanesConfigError';
    this.issues = issues;
  }
}
