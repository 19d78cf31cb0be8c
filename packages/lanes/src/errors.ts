/** Who can fix an error: `user` (bad input, busy lane) or `system` (a bug, the machine). */
export type ErrorFault = 'user' | 'system';

/** The repository's error brand, with `code` and `fault`: README, "Errors". */
const ERROR_BRAND = Symbol.for('@lanes/error');

/** Base of every error the lanes library throws: a stable code for scripts and who can fix it. */
export class LanesError extends Error {
  readonly code: string;
  readonly fault: ErrorFault;

  constructor(code: string, message: string, fault: ErrorFault, options?: { cause?: unknown }) {
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
