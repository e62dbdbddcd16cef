/**
 * A transport builds the engine's slots for one protocol (HTTP/1.1, HTTP/2, TCP) and owns their
 * connections. Registered in ../transports.ts.
 */
import { NetbenchError } from '../../core/errors.js';
import type { EngineSlot } from './open-loop.js';

export interface Transport {
  readonly slots: readonly EngineSlot[];
  /** Opens connections and makes one request on each before the clock starts. */
  prime(): Promise<void>;
  close(): Promise<void>;
}

/** The error for a target that does not answer while priming. */
export function unreachable(what: string, error: unknown): NetbenchError {
  const e = error as Error & { code?: string };
  return new NetbenchError('NB_WORKLOAD_FAILED', `${what} did not answer: ${e.code ?? e.message}`, {
    hint: 'the server pod is not reachable over this datapath; check the lab with `netbench lab up`',
    cause: error,
  });
}
