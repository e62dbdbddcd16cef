/**
 * Runner-side helpers for talking to an agent started in a pod: read its JSON-line events, wait
 * for `ready`, collect the `result`, and turn an early exit into an error that shows its stderr.
 */
import { createInterface } from 'node:readline';
import { NetbenchError } from '../core/errors.js';
import type { RunningProcess } from '../core/process-runner.js';
import { parseAgentEvent, type AgentEvent } from './agent-protocol.js';

export interface AgentWatch {
  /** Resolves with the first event of `kind`, rejects if the agent exits first or on timeout. */
  next(kind: AgentEvent['event'], timeoutMs: number): Promise<AgentEvent>;
  /** Non-event stderr output so far (for error messages). */
  stderrText(): string;
  /** Resolves when the process has exited and both streams are read. */
  done: Promise<{ code: number | null }>;
}

export function watchAgent(
  proc: RunningProcess,
  what: string,
  onEvent?: (event: AgentEvent) => void,
): AgentWatch {
  const events: AgentEvent[] = [];
  const waiters: { kind: string; resolve: (e: AgentEvent) => void }[] = [];
  let stderr = '';
  const deliver = (e: AgentEvent): void => {
    onEvent?.(e);
    const i = waiters.findIndex((w) => w.kind === e.event);
    if (i >= 0) waiters.splice(i, 1)[0]?.resolve(e);
    else events.push(e);
  };
  const out = createInterface({ input: proc.stdout });
  const err = createInterface({ input: proc.stderr });
  out.on('line', (line) => {
    const e = parseAgentEvent(line);
    if (e !== undefined) deliver(e);
  });
  err.on('line', (line) => {
    const e = parseAgentEvent(line);
    if (e !== undefined) deliver(e);
    else if (stderr.length < 16_384) stderr += `${line}\n`;
  });
  const closed = (stream: ReturnType<typeof createInterface>): Promise<void> =>
    new Promise((resolve) => stream.once('close', () => resolve()));
  const done = Promise.all([proc.exited, closed(out), closed(err)]).then(([exit]) => ({
    code: exit.code,
  }));

  const failure = (exitCode: number | null): NetbenchError => {
    const errorEvent = events.find((e) => e.event === 'error');
    if (errorEvent?.event === 'error') {
      return new NetbenchError('NB_WORKLOAD_FAILED', `${what}: ${errorEvent.message}`, {
        ...(errorEvent.hint === undefined ? {} : { hint: errorEvent.hint }),
      });
    }
    return new NetbenchError(
      'NB_WORKLOAD_FAILED',
      `${what} exited with code ${exitCode}: ${stderr.trim().split('\n').slice(-5).join(' | ') || '(no output)'}`,
    );
  };

  return {
    stderrText: () => stderr,
    done,
    next(kind, timeoutMs) {
      const ready = events.findIndex((e) => e.event === kind);
      if (ready >= 0) return Promise.resolve(events.splice(ready, 1)[0]!);
      return new Promise<AgentEvent>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new NetbenchError(
              'NB_WORKLOAD_TIMEOUT',
              `${what} sent no "${kind}" within ${timeoutMs} ms`,
              {
                hint: 'the pod may be unable to run netbench; run the lab with --verbose to see its output',
              },
            ),
          );
        }, timeoutMs);
        waiters.push({
          kind,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
        void done.then(({ code }) => {
          // Give line events of the final output a chance to arrive before declaring failure.
          setImmediate(() => {
            const w = waiters.findIndex((x) => x.kind === kind);
            if (w < 0) return;
            waiters.splice(w, 1);
            clearTimeout(timer);
            reject(failure(code));
          });
        });
      });
    },
  };
}
