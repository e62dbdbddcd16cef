/**
 * Results fixtures for report tests. The recorded ones in test/fixtures/results are real runs
 * (see the README there); `withSyntheticSections` adds the optional throughput, UDP and resource
 * sections to a copy, generated from a seeded RNG, because no workload records them yet. Those
 * figures are synthetic and labelled as such: they test rendering, not the network.
 */
import { loadResults } from '../../../src/results/results-store.js';
import type { Results } from '../../../src/results/schema.js';
import { defaultDimensions, type TrialDimensions } from '../../../src/spec/dimensions.js';
import type { Scenario } from '../../../src/spec/scenario-schema.js';
import {
  createHistogram,
  encodeHistogram,
  recordMicros,
  summarize,
} from '../../../src/stats/histogram.js';
import { createRandom, randomNormal } from '../../../src/stats/random.js';

function withoutBaseline(scenario: Scenario): Scenario {
  const rest = { ...scenario };
  delete rest.baseline;
  return rest;
}

export const fixturesDir = new URL('../../fixtures/results/', import.meta.url).pathname;

export type FixtureName = 'quick-a' | 'quick-b' | 'datapaths' | 'quick-overloaded' | 'sweep';

export function fixturePath(name: FixtureName): string {
  return `${fixturesDir}${name}`;
}

export function loadFixture(name: FixtureName): Promise<Results> {
  return loadResults(fixturePath(name));
}

/** A deep copy of `results` whose valid repetitions carry synthetic optional sections. */
export function withSyntheticSections(results: Results, seed = 1): Results {
  const random = createRandom(seed);
  const copy = structuredClone(results);
  for (const t of copy.trials) {
    const crossNode = t.dimensions.placement === 'cross-node';
    const overlay = t.dimensions.datapath === 'vxlan';
    const baseBps = (crossNode ? 13e9 : 14.5e9) * (overlay ? 0.9 : 1);
    for (const r of t.repetitions) {
      if (r.status !== 'ok') continue;
      const sent = 100_000;
      const lost = Math.max(0, Math.round((crossNode ? 40 : 5) + 10 * randomNormal(random)));
      r.throughput = {
        protocol: 'tcp',
        streams: 1,
        bitsPerSecond: baseBps * (1 + 0.04 * randomNormal(random)),
        retransmits: Math.max(0, Math.round(20 + 8 * randomNormal(random))),
      };
      r.udp = {
        targetBitsPerSecond: 1e9,
        sentPackets: sent,
        lostPackets: lost,
        lossPercent: (lost / sent) * 100,
        jitterUs: Math.max(1, 12 + 3 * randomNormal(random)),
        rcvbufErrors: Math.max(0, Math.round(3 * randomNormal(random))),
      };
      const pod = (name: string, role: string, cpu: number, rssMiB: number) => ({
        scope: 'pod' as const,
        name,
        node: crossNode && name === 'server' ? 'node2' : 'node1',
        role,
        cpuPercent: Math.max(0.1, cpu * (1 + 0.05 * randomNormal(random))),
        cpuSeconds: cpu / 100,
        rssBytes: rssMiB * 1024 ** 2 * (1 + 0.02 * randomNormal(random)),
        peakRssBytes: rssMiB * 1.1 * 1024 ** 2,
      });
      r.resources = [pod('client', 'client', 35, 62), pod('server', 'server', 22, 48)];
    }
  }
  return copy;
}

export interface SyntheticTrialSpec {
  dimensions: Partial<TrialDimensions>;
  /** Median latency in µs. */
  medianUs: number;
  repetitions: number;
  /** Log-scale run-to-run spread of the repetitions' medians. @default 0.05 */
  runToRun?: number;
}

/**
 * A whole results document of SYNTHETIC HTTP trials (log-normal latencies from a seeded RNG),
 * shaped like a real run (the environment and tool of `template`), for tests that need a known
 * truth: identical configurations, or one clearly slower than another.
 */
export function syntheticRun(
  template: Results,
  trials: readonly SyntheticTrialSpec[],
  seed: number,
  runId = `syn${seed}`,
): Results {
  const random = createRandom(seed);
  let order = 0;
  const out: Results = {
    ...structuredClone(template),
    runId,
    seed,
    scenarioSource: 'synthetic (test/unit/report/fixtures.ts)',
    scenario: { ...withoutBaseline(template.scenario), name: 'synthetic', thresholds: [] },
    trials: trials.map((spec, index) => ({
      id: Object.values(spec.dimensions)
        .map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)))
        .join('/'),
      index,
      dimensions: { ...defaultDimensions(), ...spec.dimensions },
      repetitions: [],
    })),
  };
  const maxReps = Math.max(...trials.map((t) => t.repetitions));
  for (let r = 0; r < maxReps; r++) {
    trials.forEach((spec, i) => {
      if (r >= spec.repetitions) return;
      const h = createHistogram();
      const mu = Math.log(spec.medianUs) + (spec.runToRun ?? 0.05) * randomNormal(random);
      for (let k = 0; k < 2000; k++) recordMicros(h, Math.exp(mu + 0.5 * randomNormal(random)));
      out.trials[i]!.repetitions.push({
        index: r,
        order: order++,
        startedAt: template.startedAt,
        status: 'ok',
        invalidReasons: [],
        mode: 'open-loop',
        requestedRps: 500,
        achievedRps: 500,
        durationS: 4,
        latencyUs: summarize(h),
        requests: {
          scheduled: 2000,
          sent: 2000,
          completed: 2000,
          errors: 0,
          timeouts: 0,
          unsent: 0,
        },
        errors: 0,
        timeouts: 0,
        histograms: { latencyUs: encodeHistogram(h) },
      });
    });
  }
  return out;
}
