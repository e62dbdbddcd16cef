import { generatorBoundProbe } from '../../../src/workload/request-workload.js';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/spec/load-scenario.js';
import { defaultDimensions, type TrialDimensions } from '../../../src/spec/dimensions.js';
import { expandMatrix } from '../../../src/matrix/expand.js';
import {
  capacityKey,
  loadLevelFractions,
  needsCapacity,
  resolveLoad,
  type Capacity,
} from '../../../src/workload/offered-load.js';

const dims = (over: Partial<TrialDimensions>): TrialDimensions => ({
  ...defaultDimensions(),
  ...over,
});
const capacity: Capacity = { value: 10_000, unit: 'rps', method: 'probe', durationS: 2 };

describe('load levels', () => {
  it('offer the recorded fraction of the measured capacity', () => {
    for (const level of ['idle', 'moderate', 'high'] as const) {
      const load = resolveLoad(dims({ load: level }), capacity);
      expect(load.fraction).toBe(loadLevelFractions[level]);
      expect(load.offered).toBe(Math.round(10_000 * loadLevelFractions[level]));
      expect(load.capacity).toEqual(capacity);
      expect(load.unit).toBe('rps');
    }
    expect(loadLevelFractions.idle).toBeLessThan(loadLevelFractions.moderate);
    expect(loadLevelFractions.moderate).toBeLessThan(loadLevelFractions.high);
    expect(loadLevelFractions.high).toBeLessThan(1);
  });

  it('take a share written as a percentage', () => {
    expect(resolveLoad(dims({ load: '25%' }), capacity).offered).toBe(2500);
  });

  it('leave absolute rates and closed loop alone, with no probe', () => {
    expect(needsCapacity(dims({ rate: 1234 }))).toBe(false);
    expect(resolveLoad(dims({ rate: 1234 }))).toMatchObject({
      offered: 1234,
      fraction: null,
      capacity: null,
    });
    expect(resolveLoad(dims({ rate: 'max' }))).toMatchObject({ offered: null, fraction: null });
  });

  it('apply to the bit rate of stream workloads', () => {
    const d = dims({ workload: 'tcp-stream', load: 'high', rate: 500 });
    const bps: Capacity = { value: 4e9, unit: 'bps', method: 'probe', durationS: 2 };
    expect(resolveLoad(d, bps)).toMatchObject({ spec: 'high', offered: 3.2e9, unit: 'bps' });
    expect(resolveLoad(dims({ workload: 'tcp-stream', bitrate: 500e6 }))).toMatchObject({
      spec: 500e6,
      offered: 500e6,
      unit: 'bps',
    });
  });

  it('never send UDP unpaced: max is 100% of the measured capacity', () => {
    const d = dims({ workload: 'udp-stream', bitrate: 'max' });
    expect(needsCapacity(d)).toBe(true);
    const bps: Capacity = { value: 2e9, unit: 'bps', method: 'probe', durationS: 2 };
    expect(resolveLoad(d, bps)).toMatchObject({ offered: 2e9, fraction: 1, unit: 'bps' });
    expect(resolveLoad(dims({ workload: 'tcp-stream', bitrate: 'max' })).offered).toBeNull();
  });

  it('share one capacity probe across the points of a sweep', () => {
    expect(capacityKey(dims({ load: '10%' }))).toBe(capacityKey(dims({ load: 'high' })));
    expect(capacityKey(dims({ load: 'high', connections: 4 }))).not.toBe(
      capacityKey(dims({ load: 'high', connections: 8 })),
    );
  });
});

describe('scenario files', () => {
  it('accept load levels, shares, bit rates and the new dimensions', () => {
    const s = parseScenario(
      `name: t
matrix:
  workload: [http, udp-stream]
  load: [idle, moderate, high, 60%, fixed]
  rate: [2k, max]
  bitrate: 500Mbit
  protocol: [http1, http1-close, h2c]
  streams: 2
  threads: 2
  pinning: same-cpu
`,
      't.yaml',
    );
    expect(s.matrix.load).toEqual(['idle', 'moderate', 'high', '60%', 'fixed']);
    expect(s.matrix.rate).toEqual([2000, 'max']);
    expect(s.matrix.bitrate).toBe(500e6);
    expect(expandMatrix(s)).toHaveLength(2 * 5 * 2 * 3);
  });

  it('reject a share above 100% and a misspelt level, naming the value', () => {
    let error: unknown;
    try {
      parseScenario('name: t\nmatrix:\n  load: [150%, moderat]\n  bitrate: fast\n', 't.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'NB_SPEC_INVALID' });
    const problems = (error as { problems: { path: string; message: string; hint?: string }[] })
      .problems;
    const at = (path: string) => problems.find((p) => p.path === path);
    expect(at('matrix.load[0]')?.message).toMatch(/150%/);
    expect(at('matrix.load[1]')?.hint).toMatch(/did you mean "moderate"/);
    expect(problems.some((p) => p.path.startsWith('matrix.bitrate'))).toBe(true);
  });
});

describe('a capacity probe limited by the generator', () => {
  it("says the capacity is the generator's when its loop was saturated", () => {
    expect(generatorBoundProbe(0.98)).toMatch(/generator-bound \(its event loop was busy 98%\)/);
    expect(generatorBoundProbe(0.98)).toMatch(/add threads or CPUs/);
  });

  it('says nothing when the generator had room', () => {
    expect(generatorBoundProbe(0.6)).toBeUndefined();
  });
});
