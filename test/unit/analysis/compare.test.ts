import { describe, expect, it } from 'vitest';
import { compareRuns, evaluateChangeThresholds } from '../../../src/analysis/compare.js';
import { parseThreshold, type Threshold } from '../../../src/spec/threshold.js';
import { loadFixture, syntheticRun } from '../report/fixtures.js';
import type { DatapathName, TrialDimensions } from '../../../src/spec/dimensions.js';

function change(source: string): Threshold {
  const r = parseThreshold(source, 'compare');
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

const dims = (datapath: DatapathName): Partial<TrialDimensions> => ({
  workload: 'http',
  datapath,
  placement: 'same-node',
});

describe('comparing two runs', () => {
  it('matches trials by their dimensions, whatever their order or ids', async () => {
    const a = await loadFixture('quick-a');
    const b = await loadFixture('datapaths');
    const c = compareRuns(a, b, { a: 'A', b: 'B' });
    expect(c.rows.map((r) => r.trialId).sort()).toEqual([
      'bridge/same-node',
      'routed/cross-node',
      'vxlan/cross-node',
    ]);
    expect(c.onlyInA).toEqual([]);
    expect(c.onlyInB).toEqual([]);
    expect(c.environmentChanges).toEqual([]);
    const bridge = c.rows.find((r) => r.trialId === 'bridge/same-node')!;
    expect(bridge.valid).toEqual({ a: 2, aTotal: 2, b: 2, bTotal: 3 });
    expect(bridge.figures.p99!.change.kind).toBe('relative');
  });

  it('lists environment changes, since they explain a regression as well as code does', async () => {
    const a = await loadFixture('quick-a');
    const b = structuredClone(a);
    b.environment.kernel = '6.8.0-custom';
    b.environment.tools.iperf3 = 'iperf 3.16';
    expect(compareRuns(a, b, { a: 'A', b: 'B' }).environmentChanges).toEqual([
      `kernel: ${a.environment.kernel} → 6.8.0-custom`,
      'iperf3: (absent) → iperf 3.16',
    ]);
  });

  it('finds two runs of an identical configuration within noise (synthetic, seeded)', async () => {
    const template = await loadFixture('quick-a');
    const spec = [{ dimensions: dims('bridge'), medianUs: 400, repetitions: 5 }];
    const c = compareRuns(syntheticRun(template, spec, 1), syntheticRun(template, spec, 2), {
      a: 'A',
      b: 'B',
    });
    for (const f of ['p50', 'p90', 'p99', 'mean'] as const) {
      expect(c.rows[0]!.figures[f]!.change.verdict, f).toBe('within-noise');
    }
    const [outcome] = evaluateChangeThresholds(c, [change('change.p99 < 10%')], true);
    expect(outcome!.passed).toBe(true);
  });

  it('finds a clearly slower run significant and fails a threshold it crosses (synthetic, seeded)', async () => {
    const template = await loadFixture('quick-a');
    const a = syntheticRun(
      template,
      [{ dimensions: dims('bridge'), medianUs: 400, repetitions: 5 }],
      3,
    );
    const b = syntheticRun(
      template,
      [{ dimensions: dims('bridge'), medianUs: 560, repetitions: 5 }],
      4,
    );
    const c = compareRuns(a, b, { a: 'A', b: 'B' });
    const p50 = c.rows[0]!.figures.p50!.change;
    expect(p50.verdict).toBe('significant');
    expect(p50.value).toBeGreaterThan(0.2);
    expect(c.rows[0]!.probabilitySlower!).toBeGreaterThan(0.6);
    const [strict, relaxed] = [
      evaluateChangeThresholds(c, [change('change.p50 < 10%')], true),
      evaluateChangeThresholds(c, [change('change.p50 < 60%')], true),
    ];
    expect(strict[0]!.passed).toBe(false);
    expect(relaxed[0]!.passed).toBe(true);
  });

  it('with --significant-only, lets a crossing within noise pass', async () => {
    const template = await loadFixture('quick-a');
    // Two repetitions, heavy run-to-run noise: a 15 % change cannot be told from noise.
    const spec = (medianUs: number) => [
      { dimensions: dims('bridge'), medianUs, repetitions: 2, runToRun: 0.3 },
    ];
    const c = compareRuns(
      syntheticRun(template, spec(400), 5),
      syntheticRun(template, spec(460), 6),
      {
        a: 'A',
        b: 'B',
      },
    );
    const d = c.rows[0]!.figures.p50!.change;
    expect(d.verdict).toBe('within-noise');
    const threshold = change(`change.p50 < ${Math.max(0, d.value * 100 - 1).toFixed(1)}%`);
    expect(evaluateChangeThresholds(c, [threshold], false)[0]!.passed).toBe(false);
    expect(evaluateChangeThresholds(c, [threshold], true)[0]!.passed).toBe(true);
  });
});
