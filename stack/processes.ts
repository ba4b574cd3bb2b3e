import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

let isShuttingDown = false;
let isWatchingSignals = false;

/**
 * Notes when the stack gets a stop signal. Ctrl-C in a terminal signals every child at once,
 * so their exits are then expected rather than crashes.
 */
function watchStopSignals(): void {
  if (isWatchingSignals) return;
  isWatchingSignals = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      isShuttingDown = true;
    });
  }
}

/**
 * Starts a child process whose output goes to `log` line by line. Returns a handle whose
 * `stop` sends SIGTERM, then SIGKILL after five seconds.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string },
  log: (line: string) => void
): ManagedProcess {
  watchStopSignals();
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stopping = false;
  const forward = (chunk: Buffer) => {
    // While everything stops at once, children only report losing each other.
    if (isShuttingDown) return;
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) log(line.trimEnd());
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  child.on('error', (error) => log(`could not start ${command}: ${error.message}`));
  child.on('exit', (code, signal) => {
    if (!stopping && !isShuttingDown) log(`exited unexpectedly (${signal ?? `code ${code}`}).`);
  });

  const stop = () =>
    new Promise<void>((resolve) => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return { name, child, stop };
}

/** Resolves once `port` on 127.0.0.1 accepts connections; rejects after `timeoutMs`. */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  isAlive: () => boolean
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('the process exited before it listened');
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs / 1000} s`);
}

export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves true when `port` on 127.0.0.1 can be bound, so no other program uses it. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
