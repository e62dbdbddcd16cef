/**
 * CPU pinning of client and server (taskset), a scenario option. On a 2-vCPU machine a
 * ping-pong whose ends sit on different CPUs pays a cross-CPU wake-up per message (45-60 µs
 * measured here), and unpinned runs jump between the regimes; pinning makes the regime a
 * recorded choice instead of luck.
 */
import { availableParallelism } from 'node:os';
import { NetbenchError } from '../core/errors.js';
import type { PodCommand } from '../platform/platform.js';
import type { PinningRecord } from '../results/schema.js';
import type { Pinning } from '../spec/dimensions.js';

/** The CPUs of client and server for `mode`, or undefined when unpinned. */
export function pinningCpus(
  mode: Pinning,
  cpuCount: number = availableParallelism(),
): PinningRecord | undefined {
  switch (mode) {
    case 'none':
      return undefined;
    case 'same-cpu':
      return { mode, client: [0], server: [0] };
    case 'cross-cpu':
      if (cpuCount < 2) {
        throw new NetbenchError(
          'NB_PLAN_IMPOSSIBLE',
          `pinning "cross-cpu" needs 2 CPUs; this machine has ${cpuCount}`,
          { hint: 'use pinning: same-cpu or none' },
        );
      }
      return { mode, client: [0], server: [1] };
  }
}

/** `command` pinned to the CPUs of `side`, when pinned. */
export function pinned(
  command: PodCommand,
  pinning: PinningRecord | undefined,
  side: 'client' | 'server',
): PodCommand {
  return pinning === undefined ? command : { ...command, cpus: pinning[side] };
}
