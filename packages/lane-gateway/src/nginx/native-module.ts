import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GatewayConfig } from '../config-types.js';
import { GatewayError } from '../errors.js';

/** `native/` of this package: the C sources of ngx_http_lanes_module and its nginx `config` script. */
export const NATIVE_MODULE_DIR = fileURLToPath(new URL('../../native/', import.meta.url));

/** Debian's nginx-dev puts nginx's configure, auto/ and headers here, with the flags nginx was built with. */
export const DEBIAN_NGINX_SOURCE = '/usr/share/nginx/src';

const MODULE_FILE = 'ngx_http_lanes_module.so';

export interface NativeModuleOptions {
  /** @default 'nginx' from PATH */
  nginxBinary?: string;
  /** nginx's source tree for module builds. @default DEBIAN_NGINX_SOURCE */
  nginxSource?: string;
  /** Where built modules are kept, one folder per nginx version and source hash. @default ~/.cache/lanes/nginx-module */
  cacheDir?: string;
  /** Longest time for configure plus make. @default 300000 */
  timeoutMs?: number;
}

export interface NativeModule {
  type: 'built' | 'cached';
  /** Absolute path of the .so for `load_module`. */
  path: string;
  nginxVersion: string;
}

/** Cache folder: $XDG_CACHE_HOME or ~/.cache, as other tools that cache builds per user do. */
function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lanes', 'nginx-module');
}

function run(file: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error)
        reject(new Error(`${[file, ...args].join(' ')}: ${error.message}\n${`${stdout}${stderr}`.slice(-2000)}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

/** The error of a failed step, with the end of its output (configure names the missing compiler or library). */
function buildError(message: string, cause?: unknown): GatewayError {
  if (cause === undefined) return new GatewayError('GATEWAY_NGINX_MODULE_BUILD', message, 'system');
  const detail = (cause instanceof Error ? cause.message : String(cause)).trim().slice(-1000);
  return new GatewayError('GATEWAY_NGINX_MODULE_BUILD', `${message}: ${detail}`, 'system', { cause });
}

/** `nginx -v` prints `nginx version: nginx/1.22.1` on stderr. */
async function nginxVersion(binary: string): Promise<string> {
  const out = await run(binary, ['-v'], process.cwd(), 10_000).catch((error: unknown) => {
    throw buildError(`cannot run ${binary} -v; is nginx installed?`, error);
  });
  const version = /nginx\/(\S+)/.exec(out)?.[1];
  if (!version) throw buildError(`cannot read the nginx version from "${out.trim().slice(0, 200)}"`);
  return version;
}

/** Hash of every module source and the nginx build flags: a change to either builds anew. */
function sourceHash(source: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(NATIVE_MODULE_DIR).sort()) {
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(join(NATIVE_MODULE_DIR, name)))
      .update('\0');
  }
  hash.update(readFileSync(join(source, 'conf_flags')));
  return hash.digest('hex').slice(0, 16);
}

/** The configure flags Debian built nginx with (`conf_flags` is a bash array `NGX_CONF_FLAGS=( ... )`). */
function confFlags(source: string): string[] {
  const text = readFileSync(join(source, 'conf_flags'), 'utf8');
  const body = /NGX_CONF_FLAGS=\(([^)]*)\)/.exec(text)?.[1];
  if (body === undefined) throw buildError(`${join(source, 'conf_flags')} has no NGX_CONF_FLAGS=( ... )`);
  return body.split(/\s+/).filter((flag) => flag !== '');
}

/**
 * The native lane module for the installed nginx: built once per nginx version and module source (configure with
 * the flags nginx was built with, then `make modules`), then taken from the cache. Concurrent builds each work in
 * a temp folder and rename the result into place, so a reader never sees half a file.
 */
export async function buildNativeLaneModule(options: NativeModuleOptions = {}): Promise<NativeModule> {
  const binary = options.nginxBinary ?? 'nginx';
  const source = options.nginxSource ?? DEBIAN_NGINX_SOURCE;
  const timeoutMs = options.timeoutMs ?? 300_000;
  if (!existsSync(join(source, 'configure')) || !existsSync(join(source, 'conf_flags'))) {
    throw buildError(
      `no nginx source tree at ${source} (configure, conf_flags); install nginx-dev (apt-get install nginx-dev)`,
    );
  }
  const version = await nginxVersion(binary);
  const dir = join(options.cacheDir ?? defaultCacheDir(), `nginx-${version}-${sourceHash(source)}`);
  const path = join(dir, MODULE_FILE);
  if (existsSync(path)) return { type: 'cached', path, nginxVersion: version };
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(dir, 'build-'));
  try {
    const tree = join(work, 'nginx');
    await cp(source, tree, { recursive: true });
    const flags = [
      ...confFlags(source),
      // Warnings are errors; -W in nginx's own flags is -Wextra (minus unused parameters, which nginx's API has).
      '--with-cc-opt=-O2 -fstack-protector-strong -D_FORTIFY_SOURCE=2 -Wall -Wextra',
      `--add-dynamic-module=${NATIVE_MODULE_DIR}`,
    ];
    await run('sh', ['./configure', ...flags], tree, timeoutMs).catch((error: unknown) => {
      throw buildError(`nginx's configure failed for the lane module (gcc, make and nginx-dev installed?)`, error);
    });
    await run('make', ['-f', 'objs/Makefile', 'modules'], tree, timeoutMs).catch((error: unknown) => {
      throw buildError('building the lane module failed', error);
    });
    await rename(join(tree, 'objs', MODULE_FILE), path);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { type: 'built', path, nginxVersion: version };
}

/**
 * The module path a configuration asks for: none for the `njs` lane parser; else `given` (a module built
 * beforehand) or the built or cached native module. The path stays the same for one nginx binary, so it is found
 * once, on the first configuration that asks for it, not on every reload (each lookup runs `nginx -v` and hashes
 * the sources); a failed build is tried again on the next configuration that asks.
 */
export function laneModuleResolver(
  nginxBinary: string,
  given: string | undefined,
): (config: GatewayConfig) => Promise<string | undefined> {
  let found: Promise<string> | undefined;
  return async (config) => {
    if (config.nginx.laneParser !== 'native') return undefined;
    found ??= given !== undefined ? Promise.resolve(given) : buildNativeLaneModule({ nginxBinary }).then((m) => m.path);
    return found.catch((error: unknown) => {
      found = undefined;
      throw error;
    });
  };
}
