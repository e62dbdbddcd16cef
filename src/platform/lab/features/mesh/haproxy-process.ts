/**
 * Running HAProxy as a lab daemon: validate the configuration, start it in the foreground in a
 * namespace, wait until its stats socket answers (HAProxy opens every listener before it serves
 * the stats socket), and talk to that socket.
 */
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { NetbenchError } from '../../../../core/errors.js';
import type { ProcessRunner, RunningProcess } from '../../../../core/process-runner.js';

/** Sends one command to an HAProxy stats socket and returns the whole answer. */
export function haproxyCommand(
  socketPath: string,
  command: string,
  timeoutMs = 2000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = createConnection(socketPath);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer from ${socketPath}`)));
    socket.on('connect', () => socket.end(`${command}\n`));
    socket.on('data', (b: Buffer) => chunks.push(b));
    socket.on('error', reject);
    socket.on('close', (hadError) => {
      if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** The version line of the installed HAProxy; NB_TOOL_MISSING (with the Debian package) if absent. */
export async function haproxyVersion(runner: ProcessRunner): Promise<string> {
  const out = await runner.run({ argv: ['haproxy', '-v'], timeoutMs: 10_000 });
  return out.stdout.split('\n')[0]?.trim() ?? 'HAProxy (unknown version)';
}

/** `haproxy -c`: rejects a configuration with HAProxy's own message before anything starts. */
export async function checkHaproxyConfig(runner: ProcessRunner, configPath: string): Promise<void> {
  const out = await runner.run({
    argv: ['haproxy', '-c', '-q', '-f', configPath],
    allowFailure: true,
    timeoutMs: 30_000,
  });
  if (out.exitCode !== 0) {
    throw new NetbenchError(
      'NB_MESH_PROXY_FAILED',
      `HAProxy rejected the generated configuration ${configPath}: ${(out.stderr || out.stdout).trim()}`,
      { hint: 'this is a netbench bug: please report it with the configuration file' },
    );
  }
}

/** Keeps the last bytes a process wrote, so a failure can say why; also keeps pipes drained. */
function tail(process: RunningProcess, maxBytes = 4096): () => string {
  let text = '';
  const keep = (b: Buffer): void => {
    text = (text + b.toString('utf8')).slice(-maxBytes);
  };
  process.stdout.on('data', keep);
  process.stderr.on('data', keep);
  return () => text.trim();
}

/**
 * Waits until the proxy behind `statsSocket` answers, or fails with what it printed when it
 * exits or does not come up in time.
 */
export async function waitForHaproxy(
  process: RunningProcess,
  what: string,
  statsSocket: string,
  timeoutMs = 15_000,
): Promise<void> {
  const output = tail(process);
  let exited: string | undefined;
  void process.exited.then((e) => {
    exited = e.signal === null ? `exit code ${e.code}` : `signal ${e.signal}`;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined) {
      throw new NetbenchError(
        'NB_MESH_PROXY_FAILED',
        `${what} stopped at startup (${exited}): ${output() || '(no output)'}`,
        {
          hint: 'check that haproxy runs by hand: haproxy -c -f <config> (Debian: apt-get install haproxy)',
        },
      );
    }
    try {
      await haproxyCommand(statsSocket, 'show info', 500);
      return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill('SIGKILL');
      throw new NetbenchError(
        'NB_MESH_PROXY_FAILED',
        `${what} did not come up within ${timeoutMs} ms: ${output() || '(no output)'}`,
        {
          hint: 'the machine may be overloaded; run `netbench lab status` and retry',
        },
      );
    }
    await sleep(25);
  }
}
