/**
 * Contention from outside the lab: on a VM, the hypervisor may run other guests while this one
 * has work (CPU steal). Requests then wait for a CPU the datapath never asked for, and the
 * figures describe the host's neighbours, not the network. Pure.
 */
import { availableParallelism } from 'node:os';
import { hypervisorStealGroup } from '../platform/platform.js';

/** Share of the machine's CPU time the hypervisor may take before a repetition is not trusted. */
export const maxStealPercent = 10;

/**
 * Why a repetition is not a measurement of the datapath when the hypervisor took more than
 * `maxStealPercent` of the machine's CPU time during its window; undefined otherwise or when the
 * platform does not report steal. `cpuPercent` of the steal group is in % of one CPU.
 */
export function stealProblem(
  resources: readonly { scope: string; name: string; cpuPercent: number }[] | undefined,
  cpuCount: number = availableParallelism(),
): string | undefined {
  const steal = resources?.find((r) => r.scope === 'node' && r.name === hypervisorStealGroup);
  if (steal === undefined || cpuCount < 1) return undefined;
  const share = steal.cpuPercent / cpuCount;
  if (share <= maxStealPercent) return undefined;
  return `the hypervisor took ${share.toFixed(0)}% of this machine's CPU time (steal) during the window: the figures describe its other guests as much as the datapath (measure on a quieter machine or dedicated cores)`;
}
