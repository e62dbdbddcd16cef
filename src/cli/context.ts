/**
 * Everything a CLI command touches from the outside world, passed in, so commands run in-process
 * under test with captured streams and a fake platform, and for real from main.ts.
 */
import type { Writable } from 'node:stream';
import type { Clock } from '../core/clock.js';
import type { ProcessRunner } from '../core/process-runner.js';

export interface CliStream extends Pick<Writable, 'write'> {
  isTTY?: boolean;
  columns?: number;
}

export interface CliContext {
  stdout: CliStream;
  stderr: CliStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  runner: ProcessRunner;
  clock: Clock;
  /** Aborted on the first SIGINT/SIGTERM. */
  signal: AbortSignal;
}
