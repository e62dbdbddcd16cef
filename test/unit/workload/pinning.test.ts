import { describe, expect, it } from 'vitest';
import { pinningCpus, sharedCpuProblem } from '../../../src/workload/pinning.js';

const usage = (client: number, server: number, sidecar = 0) => [
  { scope: 'pod', name: 'client', cpuPercent: client },
  { scope: 'pod', name: 'client/sidecar', cpuPercent: sidecar },
  { scope: 'pod', name: 'server', cpuPercent: server },
  { scope: 'node', name: 'kernel-softirq', cpuPercent: 50 },
];

describe('client and server pinned to one CPU', () => {
  it('flags a repetition where together they saturated the CPU they share', () => {
    const why = sharedCpuProblem(pinningCpus('same-cpu', 2), usage(60, 38));
    expect(why).toContain('share CPU 0 and used 98% of 100%');
    expect(why).toContain('pinning cross-cpu');
  });

  it('counts what else runs in those pods, such as a sidecar', () => {
    expect(sharedCpuProblem(pinningCpus('same-cpu', 2), usage(40, 30, 25))).toContain('used 95%');
  });

  it('leaves a repetition alone when the shared CPU had room', () => {
    expect(sharedCpuProblem(pinningCpus('same-cpu', 2), usage(30, 20))).toBeUndefined();
  });

  it('has nothing to say when the two sides are pinned apart or not pinned', () => {
    expect(sharedCpuProblem(pinningCpus('cross-cpu', 2), usage(99, 99))).toBeUndefined();
    expect(sharedCpuProblem(pinningCpus('none', 2), usage(99, 99))).toBeUndefined();
  });
});
