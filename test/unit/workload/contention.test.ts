import { describe, expect, it } from 'vitest';
import { stealProblem } from '../../../src/workload/contention.js';

const withSteal = (cpuPercent: number) => [
  { scope: 'pod', name: 'client', cpuPercent: 40 },
  { scope: 'node', name: 'kernel-softirq', cpuPercent: 30 },
  { scope: 'node', name: 'hypervisor-steal', cpuPercent },
];

describe('CPU stolen by the hypervisor', () => {
  it("flags a repetition when the hypervisor took over a tenth of the machine's CPU time", () => {
    // 70% of one CPU on a 2-CPU machine: 35% of its time.
    const why = stealProblem(withSteal(70), 2);
    expect(why).toContain('took 35% of this machine');
    expect(why).toContain('quieter machine');
  });

  it('leaves a repetition alone under a little steal, relative to all CPUs', () => {
    expect(stealProblem(withSteal(15), 2)).toBeUndefined();
    expect(stealProblem(withSteal(30), 4)).toBeUndefined();
  });

  it('has nothing to say when the platform does not report steal', () => {
    expect(stealProblem(withSteal(70).slice(0, 2), 2)).toBeUndefined();
    expect(stealProblem(undefined, 2)).toBeUndefined();
  });
});
