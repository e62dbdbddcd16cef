import { describe, expect, it } from 'vitest';
import { labelName, labelValue, runLabelNames } from '../../../src/export/labels.js';
import { bucketsFromHdr, latencyBucketBoundsUs } from '../../../src/export/latency-buckets.js';
import { runMetricFamilies } from '../../../src/export/run-metrics.js';
import { createHistogram, encodeHistogram, recordMicros } from '../../../src/stats/histogram.js';
import { loadFixture } from '../report/fixtures.js';

describe('export labels', () => {
  it('turns dimension names into snake_case label names and values into strings', () => {
    expect(labelName('kubeProxy')).toBe('kube_proxy');
    expect(labelName('proxyConcurrency')).toBe('proxy_concurrency');
    expect(labelName('mesh')).toBe('mesh');
    expect(labelValue(500)).toBe('500');
    expect(labelValue('60%')).toBe('60%');
    expect(labelValue({ a: 1 })).toBe('{"a":1}');
  });

  it('names every dimension of the run as a label, after run id, trial, repetition and status', async () => {
    const names = runLabelNames(await loadFixture('datapaths'));
    expect(names.slice(0, 4)).toEqual(['run_id', 'trial', 'repetition', 'status']);
    expect(names).toEqual(expect.arrayContaining(['datapath', 'placement', 'workload', 'rate']));
  });
});

describe('latency buckets from HDR data', () => {
  it('counts each request in the first bound at or above its value, cumulatively, with the HDR sum', () => {
    const h = createHistogram();
    for (const us of [15, 15, 150, 1500, 90_000_000]) recordMicros(h, us);
    const b = bucketsFromHdr(encodeHistogram(h));
    const at = (us: number) => b.cumulativeCounts[latencyBucketBoundsUs.indexOf(us)];
    expect(at(10)).toBe(0);
    expect(at(20)).toBe(2);
    expect(at(200)).toBe(3);
    expect(at(2_000)).toBe(4);
    // Above the last bound: only in +Inf (the count).
    expect(at(60_000_000)).toBe(4);
    expect(b.count).toBe(5);
    expect(b.sumSeconds / b.count).toBeCloseTo(h.mean / 1e6, 9);
  });
});

describe('run metric families', () => {
  it('gives every measured repetition a histogram whose count is the recorded request count', async () => {
    const results = await loadFixture('datapaths');
    const families = runMetricFamilies(results);
    const latency = families.find((f) => f.name === 'netbench_latency_seconds');
    expect(latency?.kind).toBe('histogram');
    const measured = results.trials
      .flatMap((t) => t.repetitions)
      .filter((r) => r.latencyUs !== undefined);
    expect(latency?.samples.length).toBe(measured.length);
    if (latency?.kind !== 'histogram') return;
    for (const s of latency.samples) {
      const trial = results.trials.find((t) => t.id === s.labels.trial)!;
      const rep = trial.repetitions.find((r) => String(r.index) === s.labels.repetition)!;
      expect(s.buckets.count).toBe(rep.latencyUs!.count);
    }
  });

  it('leaves out families no repetition has (no throughput in an HTTP run)', async () => {
    const names = runMetricFamilies(await loadFixture('datapaths')).map((f) => f.name);
    expect(names).toContain('netbench_latency_percentile_seconds');
    expect(names).not.toContain('netbench_throughput_bytes_per_second');
    expect(names).not.toContain('netbench_policy_packets');
  });
});
