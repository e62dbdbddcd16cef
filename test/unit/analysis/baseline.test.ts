import { describe, expect, it } from 'vitest';
import { matchBaselines } from '../../../src/analysis/baseline.js';

const trial = (index: number, dimensions: Record<string, unknown>) => ({
  id: Object.values(dimensions).join('/'),
  index,
  dimensions,
});

describe('baseline matching', () => {
  it('pairs each trial with the baseline-valued trial that differs only in that dimension', () => {
    const trials = [
      trial(0, { datapath: 'bridge', mesh: 'none' }),
      trial(1, { datapath: 'bridge', mesh: 'sidecar' }),
      trial(2, { datapath: 'vxlan', mesh: 'none' }),
      trial(3, { datapath: 'vxlan', mesh: 'sidecar' }),
    ];
    const [mesh] = matchBaselines(trials, { mesh: 'none' });
    expect(mesh!.pairs).toEqual([
      { trialId: 'bridge/sidecar', baselineId: 'bridge/none', differsAlsoIn: [] },
      { trialId: 'vxlan/sidecar', baselineId: 'vxlan/none', differsAlsoIn: [] },
    ]);
  });

  it('makes one table per named dimension', () => {
    const trials = [
      trial(0, { datapath: 'bridge', policy: 'off' }),
      trial(1, { datapath: 'vxlan', policy: 'off' }),
      trial(2, { datapath: 'bridge', policy: 'on' }),
    ];
    const tables = matchBaselines(trials, { datapath: 'bridge', policy: 'off' });
    expect(tables.map((t) => t.dimension)).toEqual(['datapath', 'policy']);
    expect(tables[0]!.pairs.map((p) => p.trialId)).toEqual(['vxlan/off']);
    expect(tables[1]!.pairs.map((p) => p.trialId)).toEqual(['bridge/on']);
  });

  it('falls back to the closest trial and says in which other dimensions it differs', () => {
    const trials = [
      trial(0, { datapath: 'bridge', placement: 'same-node' }),
      trial(1, { datapath: 'vxlan', placement: 'cross-node' }),
    ];
    const [t] = matchBaselines(trials, { datapath: 'bridge' });
    expect(t!.pairs).toEqual([
      { trialId: 'vxlan/cross-node', baselineId: 'bridge/same-node', differsAlsoIn: ['placement'] },
    ]);
  });

  it('notes equally close baselines and uses the first', () => {
    const trials = [
      trial(0, { datapath: 'bridge', rate: 100, placement: 'same-node' }),
      trial(1, { datapath: 'bridge', rate: 200, placement: 'same-node' }),
      trial(2, { datapath: 'vxlan', rate: 300, placement: 'same-node' }),
    ];
    const [t] = matchBaselines(trials, { datapath: 'bridge' });
    expect(t!.pairs[0]!.baselineId).toBe('bridge/100/same-node');
    expect(t!.notes.join(' ')).toMatch(/equally close/);
  });

  it('says so when no trial has the baseline value', () => {
    const [t] = matchBaselines([trial(0, { datapath: 'vxlan' })], { datapath: 'bridge' });
    expect(t!.pairs).toEqual([]);
    expect(t!.notes.join(' ')).toMatch(/no trial has datapath "bridge"/);
  });
});
