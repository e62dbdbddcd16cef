/**
 * One repetition as the runner sees it: the offered load resolved (probing the trial's capacity
 * once per run when it asks for a level or a share), the workload run, and CPU and memory of
 * every pod and node daemon sampled over the workload's measured window; a repetition whose
 * client and server starved each other, or whose machine was starved by its hypervisor, is
 * marked invalid with the reason.
 */
import type { Logger } from '../core/logger.js';
import { createResourceSampler } from '../collect/resource-sampler.js';
import { workloads } from './index.js';
import { stealProblem } from './contention.js';
import { endsTakeTurns, sharedCpuProblem } from './pinning.js';
import { capacityKey, needsCapacity, resolveLoad, type Capacity } from './offered-load.js';
import type { RepetitionMeasurement, WorkloadContext } from './workload.js';

export type RepetitionRequest = Omit<WorkloadContext, 'load' | 'onWindow'>;

export interface RepetitionRunner {
  measure(request: RepetitionRequest): Promise<RepetitionMeasurement>;
}

export function createRepetitionRunner(logger: Logger): RepetitionRunner {
  const capacities = new Map<string, Promise<Capacity>>();

  const capacityFor = (r: RepetitionRequest): Promise<Capacity> => {
    const key = capacityKey(r.dimensions);
    let probe = capacities.get(key);
    if (probe === undefined) {
      logger.debug(`probing the capacity of ${r.dimensions.workload} on this path (closed loop)`);
      probe = workloads[r.dimensions.workload].probeCapacity({
        environment: r.environment,
        dimensions: r.dimensions,
        warmupS: r.warmupS,
        durationS: r.durationS,
        timeoutS: r.timeoutS,
        logger: r.logger,
        ...(r.signal === undefined ? {} : { signal: r.signal }),
      });
      // A failed probe is retried by the next repetition instead of failing all of them.
      probe.catch(() => capacities.delete(key));
      capacities.set(key, probe);
    }
    return probe;
  };

  return {
    async measure(r) {
      const capacity = needsCapacity(r.dimensions) ? await capacityFor(r) : undefined;
      const load = resolveLoad(r.dimensions, capacity);
      const sampler = createResourceSampler({
        read: () => r.environment.readResources(),
        logger,
      });
      try {
        const m = await workloads[r.dimensions.workload].run({
          ...r,
          load,
          onWindow: (phase) => (phase === 'start' ? sampler.start() : sampler.end()),
        });
        const resources = await sampler.result({
          ...(m.requests === undefined ? {} : { requests: m.requests.completed }),
          ...(m.throughput === undefined ? {} : { bitsPerSecond: m.throughput.bitsPerSecond }),
        });
        if (resources === undefined) return m;
        const takeTurns = endsTakeTurns(r.dimensions, load.offered);
        const problems = [
          sharedCpuProblem(m.pinning, resources, takeTurns),
          stealProblem(resources),
        ].filter((p): p is string => p !== undefined);
        return {
          ...m,
          resources,
          ...(problems.length === 0 ? {} : { invalidReasons: [...m.invalidReasons, ...problems] }),
        };
      } finally {
        sampler.stop();
      }
    },
  };
}
