/**
 * What `netbench doctor` looks at, behind a port so tests can describe a machine that lacks a
 * tool or a kernel feature: running a program, reading a file, and who we are.
 */
import { access, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { isNetbenchError } from '../../core/errors.js';
import type { CommandResult, ProcessRunner } from '../../core/process-runner.js';

export interface DoctorPort {
  /** Effective user is root (the lab needs it). */
  readonly isRoot: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** Runs a program; undefined when it is not installed. Never throws for a failing exit. */
  run(argv: readonly string[], timeoutMs: number): Promise<CommandResult | undefined>;
  /** A file's text, or undefined when it cannot be read. */
  readText(path: string): Promise<string | undefined>;
  exists(path: string): Promise<boolean>;
  /** The running kernel's build configuration (/proc/config.gz or /boot/config-*), if readable. */
  kernelConfig(release: string | undefined): Promise<string | undefined>;
}

/** The real machine, through the process runner. */
export function createDoctorPort(
  runner: ProcessRunner,
  env: Readonly<Record<string, string | undefined>>,
): DoctorPort {
  return {
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    env,
    homeDir: homedir(),
    async run(argv, timeoutMs) {
      try {
        return await runner.run({ argv, timeoutMs, allowFailure: true });
      } catch (error) {
        if (isNetbenchError(error) && error.code === 'NB_TOOL_MISSING') return undefined;
        // A tool that hangs or crashes is there but unusable: report it as failing.
        return { exitCode: -1, stdout: '', stderr: (error as Error).message };
      }
    },
    async readText(path) {
      try {
        return await readFile(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    async kernelConfig(release) {
      try {
        return gunzipSync(await readFile('/proc/config.gz')).toString('utf8');
      } catch {
        if (release === undefined) return undefined;
        return readFile(`/boot/config-${release}`, 'utf8').catch(() => undefined);
      }
    },
    async exists(path) {
      try {
        await access(path);
        return true;
      } catch {
        return false;
      }
    },
  };
}
