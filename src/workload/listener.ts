/**
 * Waits until a server program in a pod listens (`ss` in the pod), for tools that say nothing
 * useful on a pipe when they are ready (iperf3 and sockperf buffer their stdout).
 */
import { NetbenchError } from '../core/errors.js';
import type { Environment } from '../platform/platform.js';

export async function waitForListener(
  env: Environment,
  pod: string,
  port: number,
  what: string,
  options: { timeoutMs?: number; signal?: AbortSignal; exited?: Promise<unknown> } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let gone = false;
  void options.exited?.then(() => (gone = true));
  for (;;) {
    options.signal?.throwIfAborted();
    const out = await env.exec(
      pod,
      { kind: 'program', argv: ['ss', '-H', '-l', '-t', '-u', '-n', `sport = :${port}`] },
      { allowFailure: true, timeoutMs: 5000 },
    );
    if (out.stdout.trim() !== '') return;
    if (gone) {
      throw new NetbenchError(
        'NB_WORKLOAD_FAILED',
        `${what} exited before listening on port ${port}`,
        {
          hint: 'another process may hold the port, or the program failed to start; run with --verbose',
        },
      );
    }
    if (Date.now() > deadline) {
      throw new NetbenchError(
        'NB_WORKLOAD_TIMEOUT',
        `${what} did not listen on port ${port} within ${options.timeoutMs ?? 10_000} ms`,
        { hint: 'the program may be missing or failing in the pod; run with --verbose' },
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
