/**
 * The only place netbench starts processes. Everything else receives a `ProcessRunner`, so tests
 * can substitute one and the lab, workloads and collectors share one way of reporting failures.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { NetbenchError } from './errors.js';
import { packageForTool } from './tools.js';
import type { Milliseconds } from './units.js';

export interface CommandSpec {
  /** Program and arguments; never passed through a shell. */
  argv: readonly string[];
  /** Written to stdin, then stdin is closed. */
  input?: string;
  /** Extra environment variables (merged over the current environment). */
  env?: Readonly<Record<string, string>>;
  cwd?: string;
  /** Kill the process (SIGKILL) after this long and fail with NB_TOOL_FAILED. */
  timeoutMs?: Milliseconds;
  /** Resolve with the result instead of throwing when the exit code is not 0. */
  allowFailure?: boolean;
  /** Abort kills the process (SIGTERM) and rejects with NB_INTERRUPTED. */
  signal?: AbortSignal;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  readonly pid: number;
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Settles when the process has exited (never rejects once the process was started). */
  readonly exited: Promise<ProcessExit>;
  kill(signal?: NodeJS.Signals): void;
}

export interface ProcessRunner {
  run(command: CommandSpec): Promise<CommandResult>;
  /** Starts a long-running process; fails with NB_TOOL_MISSING when the program does not exist. */
  start(
    command: Omit<CommandSpec, 'allowFailure' | 'input' | 'timeoutMs'>,
  ): Promise<RunningProcess>;
}

export function createProcessRunner(): ProcessRunner {
  return { run, start };
}

function describe(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w./:=,@+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

function missingTool(argv: readonly string[], cause: unknown): NetbenchError {
  const tool = argv[0] ?? '';
  const pkg = packageForTool(tool.split('/').pop() ?? tool);
  return new NetbenchError('NB_TOOL_MISSING', `required program "${tool}" was not found`, {
    hint:
      pkg === undefined
        ? `install ${tool} and make sure it is on PATH`
        : `install ${tool} (Debian: apt-get install ${pkg}), or run scripts/bootstrap.sh as root`,
    cause,
  });
}

/**
 * Programs run inside a namespace are wrapped (`ip netns exec NS prog`); when `prog` is missing
 * the wrapper, not spawn, reports it, so recognise its message too.
 */
function innerMissing(argv: readonly string[], stderr: string): string | undefined {
  const m = /exec of "([^"]+)" failed: No such file or directory/.exec(stderr);
  if (m?.[1] !== undefined) return m[1];
  if (
    argv[0] === 'ip' &&
    argv[1] === 'netns' &&
    argv[2] === 'exec' &&
    /No such file/.test(stderr)
  ) {
    return argv[4];
  }
  return undefined;
}

function run(command: CommandSpec): Promise<CommandResult> {
  const { argv } = command;
  return new Promise<CommandResult>((resolve, reject) => {
    if (command.signal?.aborted === true) {
      reject(new NetbenchError('NB_INTERRUPTED', `interrupted before running ${describe(argv)}`));
      return;
    }
    const child = spawn(argv[0] ?? '', argv.slice(1), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: command.env === undefined ? process.env : { ...process.env, ...command.env },
      cwd: command.cwd,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let aborted = false;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined); // a program that exits without reading stdin
    if (command.input !== undefined) child.stdin.end(command.input);
    else child.stdin.end();
    const timer =
      command.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, command.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      child.kill('SIGTERM');
    };
    command.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      command.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      cleanup();
      reject(e.code === 'ENOENT' ? missingTool(argv, e) : e);
    });
    child.on('close', (code, sig) => {
      cleanup();
      const result: CommandResult = {
        exitCode: code ?? (sig === null ? -1 : 128),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (aborted) {
        reject(new NetbenchError('NB_INTERRUPTED', `interrupted while running ${describe(argv)}`));
        return;
      }
      if (timedOut) {
        reject(
          new NetbenchError(
            'NB_TOOL_FAILED',
            `${describe(argv)} did not finish within ${command.timeoutMs} ms and was killed`,
            { hint: 'the tool hung; run it by hand with the same arguments to see why' },
          ),
        );
        return;
      }
      if (result.exitCode !== 0 && command.allowFailure !== true) {
        const inner = innerMissing(argv, result.stderr);
        if (inner !== undefined) {
          reject(missingTool([inner], undefined));
          return;
        }
        reject(
          new NetbenchError(
            'NB_TOOL_FAILED',
            `${describe(argv)} failed with exit code ${result.exitCode}: ${result.stderr.trim() || result.stdout.trim() || '(no output)'}`,
          ),
        );
        return;
      }
      resolve(result);
    });
  });
}

function start(
  command: Omit<CommandSpec, 'allowFailure' | 'input' | 'timeoutMs'>,
): Promise<RunningProcess> {
  const { argv } = command;
  return new Promise<RunningProcess>((resolve, reject) => {
    const child = spawn(argv[0] ?? '', argv.slice(1), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: command.env === undefined ? process.env : { ...process.env, ...command.env },
      cwd: command.cwd,
    });
    child.stdin.on('error', () => undefined);
    const exited = new Promise<ProcessExit>((res) => {
      child.on('close', (code, signal) => res({ code, signal }));
    });
    const onAbort = (): void => {
      child.kill('SIGTERM');
    };
    command.signal?.addEventListener('abort', onAbort, { once: true });
    void exited.then(() => command.signal?.removeEventListener('abort', onAbort));
    child.once('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT' ? missingTool(argv, e) : e);
    });
    child.once('spawn', () => {
      resolve({
        pid: child.pid ?? -1,
        stdin: child.stdin,
        stdout: child.stdout,
        stderr: child.stderr,
        exited,
        kill: (signal: NodeJS.Signals = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        },
      });
    });
  });
}
