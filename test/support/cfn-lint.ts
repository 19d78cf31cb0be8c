import { spawn } from 'node:child_process';

/** One finding of cfn-lint (`--format json`), with the template path as cfn-lint was given it. */
export interface CfnLintFinding {
  level: 'Error' | 'Warning' | 'Informational' | string;
  rule: string;
  file: string;
  /** Where in the template, e.g. `Resources/Service/Properties/Cluster`. */
  path: string;
  line: number;
  message: string;
}

interface RawFinding {
  Level: string;
  Rule: { Id: string };
  Filename: string;
  Location: { Path?: (string | number)[]; Start?: { LineNumber?: number } };
  Message: string;
}

/** What to say when cfn-lint cannot be started: the check is required, never skipped. */
export const CFN_LINT_MISSING =
  'cfn-lint is not on PATH: the CloudFormation templates cannot be checked. It is on the machine image under pyenv ' +
  '(add ~/.pyenv/shims to PATH, as .ci/run does), or install it with `pip install cfn-lint` (1.x).';

/**
 * Runs one cfn-lint process over `files` (relative to `cwd`), informational rules included, and returns every
 * finding. cfn-lint's exit code is a bit mask of the levels found, so it is not an error here; output that is not
 * cfn-lint's JSON report is.
 */
export async function runCfnLint(cwd: string, files: readonly string[]): Promise<CfnLintFinding[]> {
  const args = ['--format', 'json', '--include-checks', 'I', '--', ...files];
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn('cfn-lint', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        err += chunk;
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        reject(error.code === 'ENOENT' ? new Error(CFN_LINT_MISSING) : error);
      });
      child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    },
  );
  let raw: RawFinding[];
  try {
    raw = JSON.parse(stdout) as RawFinding[];
  } catch {
    throw new Error(`cfn-lint gave no JSON report (exit ${code}):\n${stdout}\n${stderr}`);
  }
  if (!Array.isArray(raw)) throw new Error(`cfn-lint's report is not a list (exit ${code}): ${stdout.slice(0, 500)}`);
  return raw.map((f) => ({
    level: f.Level,
    rule: f.Rule.Id,
    file: f.Filename,
    path: (f.Location.Path ?? []).join('/'),
    line: f.Location.Start?.LineNumber ?? 0,
    message: f.Message,
  }));
}

/** One line per finding, for failure messages. */
export function formatFindings(findings: readonly CfnLintFinding[]): string {
  return findings.map((f) => `${f.level} ${f.rule} ${f.file}:${f.line} ${f.path}: ${f.message}`).join('\n');
}
