/** Time as a port: a monotonic clock for durations, a wall clock for timestamps, and sleep. */
import type { Milliseconds } from './units.js';

export interface Clock {
  /** Monotonic milliseconds, for measuring durations. */
  monotonicMs(): Milliseconds;
  /** Wall-clock time, for timestamps in results. */
  now(): Date;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: Milliseconds, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  monotonicMs: () => performance.now(),
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(abortError(signal));
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        if (signal !== undefined) reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
