/**
 * Keeps a daemon's output flowing: a process whose stdout or stderr pipe is never read blocks
 * once the pipe buffer (64 KiB) fills. Drains both streams, keeps the last few KiB for error
 * messages, and remembers how the process ended.
 */
import type { ProcessExit, RunningProcess } from '../../core/process-runner.js';

export interface ProcessWatch {
  /** The last output of both streams (at most 4 KiB). */
  tail(): string;
  /** How the process ended, or undefined while it runs. */
  exit(): ProcessExit | undefined;
}

const keepBytes = 4096;

export function watchProcess(p: RunningProcess): ProcessWatch {
  let text = '';
  let ended: ProcessExit | undefined;
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-keepBytes);
  };
  p.stdout.on('data', keep);
  p.stderr.on('data', keep);
  void p.exited.then((e) => {
    ended = e;
  });
  return { tail: () => text, exit: () => ended };
}
