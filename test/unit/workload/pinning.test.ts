import { describe, expect, it } from 'vitest';
import { defaultDimensions, type TrialDimensions } from '../../../src/spec/dimensions.js';
import { endsTakeTurns, pinningCpus, sharedCpuProblem } from '../../../src/workload/pinning.js';

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

  it('leaves a closed-loop ping-pong alone: its ends take turns on the CPU they fill', () => {
    expect(sharedCpuProblem(pinningCpus('same-cpu', 2), usage(60, 38), true)).toBeUndefined();
  });

  it('has nothing to say when the two sides are pinned apart or not pinned', () => {
    expect(sharedCpuProblem(pinningCpus('cross-cpu', 2), usage(99, 99))).toBeUndefined();
    expect(sharedCpuProblem(pinningCpus('none', 2), usage(99, 99))).toBeUndefined();
  });
});

describe('ends that take turns', () => {
  const trial = (over: Partial<TrialDimensions>): TrialDimensions => ({
    ...defaultDimensions(),
    ...over,
  });

  it('are a tcp-rr ping-pong in closed loop, which has one message in flight', () => {
    expect(endsTakeTurns(trial({ workload: 'tcp-rr' }), null)).toBe(true);
  });

  it('are not a paced tcp-rr, whose client spins between messages', () => {
    expect(endsTakeTurns(trial({ workload: 'tcp-rr' }), 500)).toBe(false);
  });

  it('are an http closed loop only with one connection, one thread and one stream', () => {
    const one = { workload: 'http', connections: 1, threads: 1, streams: 1 } as const;
    expect(endsTakeTurns(trial(one), null)).toBe(true);
    expect(endsTakeTurns(trial({ ...one, connections: 2 }), null)).toBe(false);
    expect(endsTakeTurns(trial({ ...one, threads: 2 }), null)).toBe(false);
    expect(endsTakeTurns(trial({ ...one, protocol: 'h2c', streams: 4 }), null)).toBe(false);
    // HTTP/1.1 has no streams: a value written for the h2c trials of the scenario is ignored.
    expect(endsTakeTurns(trial({ ...one, protocol: 'http1', streams: 4 }), null)).toBe(true);
  });

  it('are never a bulk stream, which keeps both ends busy at once', () => {
    expect(endsTakeTurns(trial({ workload: 'tcp-stream' }), null)).toBe(false);
  });
});
