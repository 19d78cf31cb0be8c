import { statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { readJsonText } from '@lanes/json-config';
import { type ConfigIssue, LanesConfigError } from '../errors.js';
import type { Project } from '../model.js';
import { FileIssues } from './file-issues.js';
import { readParamsFile } from './params-file.js';
import { checkEnv, paramsFilePath, readProject } from './parse-project.js';
import { MINIMAL_PROJECT_EXAMPLE, PROJECT_DEFAULTS } from './project-defaults.js';

export interface LoadProjectOptions {
  /** The environment whose params files are read. @default 'dev' */
  env?: string | undefined;
  /** The project file, relative to the project folder or absolute. @default 'lanes.json' */
  file?: string | undefined;
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return 'this is a folder; give the path of a JSON file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied reading the file';
  return `cannot read the file: ${(error as Error).message}`;
}

async function readText(file: string, issues: ConfigIssue[]): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    issues.push({ file, path: '', message: readFailure(error) });
    return undefined;
  }
}

/** `params/{name}-{env}.json` by `{name}`; the folder is optional, and files of other envs are not this command's. */
async function readParams(
  dir: string,
  env: string,
  issues: ConfigIssue[],
): Promise<Record<string, Record<string, string>>> {
  const params: Record<string, Record<string, string>> = {};
  let entries: string[];
  try {
    entries = await readdir(join(dir, 'params'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      issues.push({
        file: join(dir, 'params'),
        path: '',
        message: `cannot read the folder: ${(error as Error).message}`,
      });
    }
    return params;
  }
  const suffix = `-${env}.json`;
  for (const entry of entries.sort()) {
    if (!entry.endsWith(suffix) || entry.length === suffix.length) continue;
    const name = entry.slice(0, -suffix.length);
    const file = paramsFilePath(dir, name, env);
    const text = await readText(file, issues);
    if (text !== undefined) params[name] = readParamsFile(text, new FileIssues(file, issues));
  }
  return params;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Reads the project in `dir`: its project file (`lanes.json` unless `options.file` says otherwise) and its params
 * files for the env (`dev` unless `options.env`), validated, with every default filled in and every path absolute.
 * Throws one `LanesConfigError` listing every problem in every file (a missing project file included, with how to
 * start one), or a `LanesError` (`LANES_ENV_INVALID`) for an env that cannot be an env name.
 */
export async function loadProject(dir: string, options: LoadProjectOptions = {}): Promise<Project> {
  const env = options.env ?? PROJECT_DEFAULTS.env;
  checkEnv(env);
  const given = options.file ?? PROJECT_DEFAULTS.file;
  const file = isAbsolute(given) ? given : join(dir, given);
  const issues: ConfigIssue[] = [];
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      issues.push({ file, path: '', message: readFailure(error) });
    else if (options.file !== undefined) issues.push({ file, path: '', message: 'file not found; check the path' });
    else {
      const message = `no project file: looked for ${file}. Create ${PROJECT_DEFAULTS.file} there to say how each service runs locally, e.g. ${MINIMAL_PROJECT_EXAMPLE}`;
      throw new LanesConfigError([{ file, path: '', message }]);
    }
  }
  const params = await readParams(dir, env, issues);
  const raw = text === undefined ? undefined : readJsonText(text, new FileIssues(file, issues));
  if (raw === undefined) throw new LanesConfigError(issues);
  const project = readProject(raw.value, { dir, file, env, params, directoryExists: isDirectory }, issues);
  if (issues.length > 0) throw new LanesConfigError(issues);
  return project;
}
