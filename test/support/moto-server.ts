import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A running moto_server (moto's AWS API emulator) on a loopback port chosen by the OS. */
export interface MotoServer {
  /** `http://127.0.0.1:{port}`: the endpoint to give the AWS SDK clients. */
  endpoint: string;
  /** Everything the server wrote so far (its request log and Python tracebacks), for failure messages. */
  log(): string;
  /** Stops the server and waits until it is gone. Safe to call more than once. */
  stop(): Promise<void>;
}

export const MOTO_MISSING =
  'moto_server is not on PATH: the AWS provider cannot be tested against an AWS API emulator. It is on the machine ' +
  "image under pyenv (add ~/.pyenv/shims to PATH, as .ci/run does), or install it with `pip install 'moto[server]'`.";

/** Region, credentials and endpoint for SDK v3 clients pointed at the emulator (it accepts any credentials). */
export function motoClientConfig(server: MotoServer) {
  return {
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  } as const;
}

const LISTENING = /Running on http:\/\/127\.0\.0\.1:(\d+)/;

/**
 * Starts `moto_server` on 127.0.0.1 port 0 (werkzeug binds a free port and logs it), reads the port from its log,
 * then polls its HTTP API until it answers. The server runs in its own process group, which `stop` ends (and which
 * is ended too if the test process exits first).
 */
export async function startMotoServer(timeoutMs = 60_000): Promise<MotoServer> {
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const onExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`moto_server did not say where it listens within ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      const onData = (chunk: string) => {
        output += chunk;
        const match = LISTENING.exec(output);
        if (match) {
          clearTimeout(deadline);
          resolve(Number(match[1]));
        }
      };
      child.stdout?.setEncoding('utf8').on('data', onData);
      child.stderr?.setEncoding('utf8').on('data', onData);
      child.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(deadline);
        reject(error.code === 'ENOENT' ? new Error(MOTO_MISSING) : error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(deadline);
        reject(new Error(`moto_server exited (${code ?? signal}) before listening:\n${output}`));
      });
    });
    const endpoint = `http://127.0.0.1:${port}`;
    await waitUntilAnswering(endpoint, timeoutMs);
    return { endpoint, log: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls moto's own API (`/moto-api/`) until it answers 200. */
async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`moto_server at ${endpoint} did not answer within ${timeoutMs} ms: ${String(last)}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
