/**
 * An in-process CLI context for tests: captured stdout/stderr, the real process runner and clock,
 * and an abort controller the test can trigger (as Ctrl-C would).
 */
import { systemClock } from '../../src/core/clock.js';
import { createProcessRunner } from '../../src/core/process-runner.js';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';

export interface CapturedCli {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface TestCliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  context?: Partial<CliContext>;
}

export async function cli(
  argv: readonly string[],
  options: TestCliOptions = {},
): Promise<CapturedCli> {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    stdout: { write: (s: string | Uint8Array) => ((stdout += String(s)), true) },
    stderr: { write: (s: string | Uint8Array) => ((stderr += String(s)), true) },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    runner: createProcessRunner(),
    clock: systemClock,
    signal: options.signal ?? new AbortController().signal,
    ...options.context,
  };
  const exitCode = await runCli(argv, ctx);
  return { exitCode, stdout, stderr };
}
