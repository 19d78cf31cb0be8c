import { isAbsolute, resolve } from 'node:path';
import { childPath, describe, isJsonObject, type ObjectFields } from '@lanes/json-config';
import type { RunSpec } from '../model.js';
import { PROJECT_DEFAULTS, PROJECT_FIELDS } from './project-defaults.js';

/** What reading a run spec needs beyond the JSON: where relative paths start, and whether folders exist. */
export interface RunContext {
  /** Absolute project folder. */
  dir: string;
  /** Checks that a `run.cwd` exists; without it, no check (parseProject stays pure). */
  directoryExists?: ((path: string) => boolean) | undefined;
}

/** POSIX's portable environment variable names; anything else is lost by some shell on the way. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_NAME_RULE = 'letters, digits and "_", not starting with a digit';
/** Characters that mean the command was written for a shell. */
const SHELL_SYNTAX = /["'\\$`|&;<>(){}*?~]/;
const EXAMPLE_COMMAND = '["node", "server.js"]';

const RUN_ELSEWHERE = {
  cmd: `use "command", a list such as ${EXAMPLE_COMMAND}`,
  args: 'put the arguments in "command", after the program',
  environment: 'did you mean "env"?',
  dir: 'did you mean "cwd"?',
  workdir: 'did you mean "cwd"?',
  workingDirectory: 'did you mean "cwd"?',
  port: 'lanes picks each replica\'s port and passes it in the variable named by "portEnv"',
};

const argv = (words: string[]) => `[${words.map((word) => JSON.stringify(word)).join(', ')}]`;

function readCommand(run: ObjectFields): string[] | undefined {
  const value = run.get('command');
  if (value === undefined) return undefined;
  const path = run.at('command');
  if (typeof value === 'string') {
    const words = value.trim().split(/\s+/).filter(Boolean);
    const example =
      words.length === 0 ? EXAMPLE_COMMAND : SHELL_SYNTAX.test(value) ? argv(['sh', '-c', value]) : argv(words);
    run.report(path, `expected a list of arguments, not one string: split it into an argv array: ${example}`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    run.report(path, `expected a list of arguments such as ${EXAMPLE_COMMAND}, got ${describe(value)}`);
    return undefined;
  }
  if (value.length === 0) {
    run.report(path, `expected at least the program to run, e.g. ${EXAMPLE_COMMAND}`);
    return undefined;
  }
  let valid = true;
  value.forEach((word: unknown, index) => {
    if (typeof word === 'string') return;
    valid = false;
    const quote = typeof word === 'number' || typeof word === 'boolean' ? ` (quote it: "${word}")` : '';
    run.report(childPath(path, index), `expected a string, got ${describe(word)}${quote}`);
  });
  if (value[0] === '') {
    valid = false;
    run.report(childPath(path, 0), `the program to run is empty; e.g. ${EXAMPLE_COMMAND}`);
  }
  return valid ? (value as string[]) : undefined;
}

function readCwd(run: ObjectFields, context: RunContext): string | undefined {
  const cwd = run.text('cwd', 'a folder (relative to the project folder)');
  if (cwd === undefined) return undefined;
  const absolute = resolve(context.dir, cwd);
  if (context.directoryExists && !context.directoryExists(absolute)) {
    const relative = isAbsolute(cwd) ? '' : `; relative paths start at the project folder ${context.dir}`;
    run.report(run.at('cwd'), `no folder at ${absolute}${relative}`);
  }
  return absolute;
}

function readPortEnv(run: ObjectFields): string | undefined {
  const name = run.string('portEnv');
  if (name === undefined || ENV_NAME.test(name)) return name;
  run.report(run.at('portEnv'), `expected an environment variable name (${ENV_NAME_RULE}), got ${describe(name)}`);
  return undefined;
}

function readEnv(run: ObjectFields, portEnv: string): Record<string, string> | undefined {
  const value = run.get('env');
  if (value === undefined) return undefined;
  const path = run.at('env');
  if (!isJsonObject(value)) {
    run.report(path, `expected an object of variables, e.g. { "LOG_LEVEL": "debug" }, got ${describe(value)}`);
    return {};
  }
  const env: Record<string, string> = {};
  for (const [name, raw] of Object.entries(value)) {
    const at = childPath(path, name);
    if (!ENV_NAME.test(name)) {
      run.report(at, `invalid variable name "${name}": use ${ENV_NAME_RULE}`);
    } else if (name === portEnv) {
      run.report(at, `${name} is set by lanes to each replica's port (see portEnv); remove it here`);
    } else if (typeof raw === 'string') {
      env[name] = raw;
    } else {
      const quote = typeof raw === 'number' || typeof raw === 'boolean' ? ` (quote it: "${raw}")` : '';
      run.report(at, `expected a string, got ${describe(raw)}${quote}`);
    }
  }
  return env;
}

/** Only the fields present; `portEnv` is the one in force (the lane's, else the service's) for the env check. */
function readRunFields(run: ObjectFields, context: RunContext, inheritedPortEnv: string): Partial<RunSpec> {
  const spec: Partial<RunSpec> = {};
  const command = readCommand(run);
  if (command) spec.command = command;
  const cwd = readCwd(run, context);
  if (cwd !== undefined) spec.cwd = cwd;
  const portEnv = readPortEnv(run);
  if (portEnv !== undefined) spec.portEnv = portEnv;
  const env = readEnv(run, portEnv ?? inheritedPortEnv);
  if (env) spec.env = env;
  return spec;
}

/** A service's `run`: required, with `command`; the rest defaults. */
export function readRun(service: ObjectFields, context: RunContext): RunSpec {
  const run = service.object('run', PROJECT_FIELDS.run, RUN_ELSEWHERE);
  if (!run) {
    if (!service.has('run')) {
      service.missing('run', `missing; say how to start one replica, e.g. "run": { "command": ${EXAMPLE_COMMAND} }`);
    }
    return { command: [], cwd: context.dir, env: {}, portEnv: PROJECT_DEFAULTS.run.portEnv };
  }
  if (!run.has('command')) {
    run.missing('command', `missing; give the program and its arguments as a list, e.g. ${EXAMPLE_COMMAND}`);
  }
  const spec = readRunFields(run, context, PROJECT_DEFAULTS.run.portEnv);
  return {
    command: spec.command ?? [],
    cwd: spec.cwd ?? context.dir,
    env: spec.env ?? {},
    portEnv: spec.portEnv ?? PROJECT_DEFAULTS.run.portEnv,
  };
}

/** A lane's `run`: any subset of the service's fields, applied over them at deploy time (`env` merged). */
export function readPartialRun(lane: ObjectFields, context: RunContext, servicePortEnv: string): Partial<RunSpec> {
  const run = lane.object('run', PROJECT_FIELDS.run, RUN_ELSEWHERE);
  return run ? readRunFields(run, context, servicePortEnv) : {};
}
