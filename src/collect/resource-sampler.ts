/**
 * Samples an environment's resources over a workload's measured window: a reading when the
 * workload says the window starts, one every `intervalMs` (for peak memory, and CPU of processes
 * that exit early), one when it ends. Readings never overlap; a failed reading is skipped and
 * logged, never fatal to the measurement.
 */
import type { Logger } from '../core/logger.js';
import type { Milliseconds } from '../core/units.js';
import type { ResourceReading } from '../platform/platform.js';
import type { ResourceUsage } from '../results/schema.js';
import { usageOverWindow, type WindowWork } from './resource-usage.js';

export interface ResourceSampler {
  /** The window started: take the baseline reading and start sampling. */
  start(): void;
  /** The window ended: take the final reading and stop sampling. */
  end(): void;
  /**
   * Usage over the window, once its readings are in; undefined when the window did not both
   * start and end (a failed repetition).
   */
  result(work: WindowWork): Promise<ResourceUsage[] | undefined>;
  /** Stops sampling without a result. */
  stop(): void;
}

export interface ResourceSamplerOptions {
  read: () => Promise<ResourceReading>;
  logger: Logger;
  /** @default 1000 */
  intervalMs?: Milliseconds;
}

export function createResourceSampler(o: ResourceSamplerOptions): ResourceSampler {
  const readings: ResourceReading[] = [];
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let ended = false;
  let stopped = false;
  let failures = 0;

  const take = (): void => {
    chain = chain.then(async () => {
      try {
        readings.push(await o.read());
      } catch (error) {
        failures += 1;
        if (failures === 1) o.logger.warn(`resource reading failed: ${(error as Error).message}`);
      }
    });
  };
  const stopTimer = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };

  return {
    start() {
      if (started) return;
      started = true;
      take();
      timer = setInterval(() => {
        if (!ended && !stopped) take();
      }, o.intervalMs ?? 1000);
      timer.unref();
    },
    end() {
      if (!started || ended || stopped) return;
      ended = true;
      stopTimer();
      take();
    },
    async result(work) {
      stopTimer();
      await chain;
      if (!started || !ended) return undefined;
      return usageOverWindow(readings, work);
    },
    stop() {
      stopTimer();
      stopped = true;
    },
  };
}
