import { describe, expect, it } from 'vitest';
import { analyzeResults } from '../../../src/analysis/analyze.js';
import { decodeHistogram, mergeHistograms } from '../../../src/stats/histogram.js';
import { loadFixture, withSyntheticSections } from '../report/fixtures.js';

describe('analysis of a recorded run', () => {
  it('takes figures from the merged histogram of the valid repetitions only', async () => {
    const results = await loadFixture('datapaths');
    const { analysis } = analyzeResults(results);
    for (const t of results.trials) {
      const ok = t.repetitions.filter((r) => r.status === 'ok');
      const merged = mergeHistograms(ok.map((r) => decodeHistogram(r.histograms!.latencyUs!)));
      const a = analysis.trials.find((x) => x.id === t.id)!;
      expect(a.figures.p50!.value).toBe(merged.getValueAtPercentile(50));
      expect(a.figures.p99!.value).toBe(merged.getValueAtPercentile(99));
      expect(a.requests).toBe(merged.totalCount);
      expect(a.repetitions.ok).toBe(ok.length);
    }
  });

  it('counts invalid repetitions and keeps their reasons without mixing them into figures', async () => {
    const { analysis } = analyzeResults(await loadFixture('datapaths'));
    const withInvalid = analysis.trials.filter((t) => t.repetitions.invalid > 0);
    expect(withInvalid.length).toBeGreaterThan(0);
    for (const t of withInvalid) expect(t.invalidReasons.length).toBeGreaterThan(0);
  });

  it('gives a trial with no valid repetition no figures at all', async () => {
    const { analysis } = analyzeResults(await loadFixture('quick-overloaded'));
    for (const t of analysis.trials) {
      expect(t.repetitions.ok).toBe(0);
      expect(t.figures).toEqual({});
    }
  });

  it('builds one overhead table per baseline dimension, naming what else differs', async () => {
    const { analysis } = analyzeResults(await loadFixture('datapaths'));
    expect(analysis.overheads).toHaveLength(1);
    const table = analysis.overheads[0]!;
    expect(table.dimension).toBe('datapath');
    expect(table.baselineValue).toBe('bridge');
    expect(table.rows.map((r) => r.trialId).sort()).toEqual([
      'routed/cross-node',
      'vxlan/cross-node',
    ]);
    for (const row of table.rows) {
      expect(row.baselineTrialId).toBe('bridge/same-node');
      expect(row.differsAlsoIn).toEqual(['placement']);
      expect(row.figures.p50).toBeDefined();
    }
  });

  it('is deterministic: the same results.json gives the same analysis, intervals included', async () => {
    const results = await loadFixture('datapaths');
    expect(JSON.stringify(analyzeResults(results).analysis)).toBe(
      JSON.stringify(analyzeResults(results).analysis),
    );
  });

  it('records the seed and the order the repetitions ran in', async () => {
    const results = await loadFixture('quick-a');
    const { analysis } = analyzeResults(results);
    expect(analysis.order.seed).toBe(results.seed);
    const positions = analysis.order.runs.map((r) => r.position);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expect(analysis.order.runs).toHaveLength(
      results.trials.reduce((n, t) => n + t.repetitions.length, 0),
    );
  });

  it('reports run-to-run variability as a coefficient of variation', async () => {
    const { analysis } = analyzeResults(await loadFixture('quick-a'));
    for (const t of analysis.trials) {
      const v = t.variability.p50!;
      expect(v.n).toBe(2);
      expect(v.cv).toBeGreaterThanOrEqual(0);
    }
  });

  it('analyses throughput, loss and CPU/memory sections when a run has them', async () => {
    const { analysis } = analyzeResults(withSyntheticSections(await loadFixture('quick-a')));
    for (const t of analysis.trials) {
      expect(t.figures.throughput!.value).toBeGreaterThan(1e9);
      expect(t.lossSource).toBe('udp');
      expect(t.figures.cpu!.value).toBeGreaterThan(0);
      expect(t.resources.map((r) => r.name).sort()).toEqual(['client', 'server']);
      expect(t.udp!.jitterUs.value).toBeGreaterThan(0);
    }
  });
});
