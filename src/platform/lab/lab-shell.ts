/**
 * iproute2 and friends, spoken through the process runner. Every lab effect goes through here, so
 * there is one place that knows how a command is run inside a namespace.
 */
import type { CommandResult, ProcessRunner, RunningProcess } from '../../core/process-runner.js';

export interface LabShell {
  /** `ip [-n ns] args…` */
  ip(ns: string | undefined, args: readonly string[]): Promise<CommandResult>;
  /** Many `ip` commands in one process (`ip -n ns -batch -`). */
  ipBatch(ns: string | undefined, lines: readonly string[]): Promise<void>;
  /** Runs `argv` inside namespace `ns` to completion. */
  exec(
    ns: string,
    argv: readonly string[],
    options?: {
      input?: string;
      env?: Readonly<Record<string, string>>;
      timeoutMs?: number;
      allowFailure?: boolean;
      signal?: AbortSignal;
    },
  ): Promise<CommandResult>;
  /** Starts `argv` inside namespace `ns`. */
  start(
    ns: string,
    argv: readonly string[],
    options?: { signal?: AbortSignal },
  ): Promise<RunningProcess>;
  /** Sets sysctls inside a namespace (per-namespace keys like net.ipv4.ip_forward). */
  sysctl(ns: string, settings: Readonly<Record<string, string | number>>): Promise<void>;
  readonly runner: ProcessRunner;
}

export function createLabShell(runner: ProcessRunner): LabShell {
  const nsArgs = (ns: string | undefined): string[] => (ns === undefined ? [] : ['-n', ns]);
  return {
    runner,
    ip: (ns, args) => runner.run({ argv: ['ip', ...nsArgs(ns), ...args], timeoutMs: 30_000 }),
    async ipBatch(ns, lines) {
      if (lines.length === 0) return;
      await runner.run({
        argv: ['ip', ...nsArgs(ns), '-batch', '-'],
        input: `${lines.join('\n')}\n`,
        timeoutMs: 60_000,
      });
    },
    exec: (ns, argv, options = {}) =>
      runner.run({
        argv: ['ip', 'netns', 'exec', ns, ...argv],
        ...(options.input === undefined ? {} : { input: options.input }),
        ...(options.env === undefined ? {} : { env: options.env }),
        timeoutMs: options.timeoutMs ?? 60_000,
        ...(options.allowFailure === undefined ? {} : { allowFailure: options.allowFailure }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      }),
    start: (ns, argv, options = {}) =>
      runner.start({
        argv: ['ip', 'netns', 'exec', ns, ...argv],
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      }),
    async sysctl(ns, settings) {
      const pairs = Object.entries(settings).map(([k, v]) => `${k}=${v}`);
      if (pairs.length === 0) return;
      await runner.run({
        argv: ['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', ...pairs],
        timeoutMs: 10_000,
      });
    },
  };
}
