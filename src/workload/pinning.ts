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
import { usesDimension } from '../spec/dimension-applicability.js';
import type { Pinning, TrialDimensions } from '../spec/dimensions.js';

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

/** Share of their common CPUs above which client and server were starving each other. */
export const maxSharedCpuPercent = 90;

/**
 * Whether the two ends of a trial take turns rather than compete: a closed loop (no pacing) with
 * one request in flight, as tcp-rr always is (sockperf ping-pong over one connection, blocking
 * receive) and http or tcp-crr are with one connection, one thread and (h2c) one stream; a
 * dimension the trial ignores (streams over HTTP/1.1) does not count. While one end
 * works the other waits for its message, so together they can fill the CPU they share without
 * either taking CPU the other needed. A paced run is not such a case: sockperf paces `--mps` by
 * busy-waiting, and its spin takes CPU the server needs. Pure.
 */
export function endsTakeTurns(d: TrialDimensions, offeredRps: number | null): boolean {
  if (offeredRps !== null) return false;
  if (d.workload === 'tcp-rr') return true;
  if (d.workload !== 'http' && d.workload !== 'tcp-crr') return false;
  const one = (name: 'connections' | 'threads' | 'streams'): boolean =>
    !usesDimension(d, name) || d[name] === 1;
  return one('connections') && one('threads') && one('streams');
}

/**
 * Why a repetition with client and server pinned to the same CPUs is not a measurement of the
 * server: when together they used (nearly) all of those CPUs, the generator's own work took CPU
 * from the server, so latency and rate describe both. Undefined when they share no CPU, when the
 * shared CPUs had room, or when the two ends take turns (`endsTakeTurns`): a ping-pong on one CPU
 * fills it by design. Pure.
 */
export function sharedCpuProblem(
  pinning: PinningRecord | undefined,
  resources: readonly { scope: string; name: string; cpuPercent: number }[] | undefined,
  takeTurns = false,
): string | undefined {
  if (pinning === undefined || resources === undefined || takeTurns) return undefined;
  const shared = pinning.client.filter((cpu) => pinning.server.includes(cpu));
  if (shared.length === 0) return undefined;
  const cpuOf = (pod: string): number =>
    resources
      .filter((r) => r.scope === 'pod' && (r.name === pod || r.name.startsWith(`${pod}/`)))
      .reduce((a, r) => a + r.cpuPercent, 0);
  const used = cpuOf('client') + cpuOf('server');
  const capacity = shared.length * 100;
  if (used < (maxSharedCpuPercent / 100) * capacity) return undefined;
  return `client and server share CPU ${shared.join(',')} and used ${used.toFixed(0)}% of ${capacity}%: the generator took CPU from the server, so the figures describe both (pin them apart: pinning cross-cpu, or let them take turns: rate max with one connection)`;
}
