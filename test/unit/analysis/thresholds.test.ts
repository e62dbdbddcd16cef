import { describe, expect, it } from 'vitest';
import { analyzeResults } from '../../../src/analysis/analyze.js';
import { parseScenario } from '../../../src/spec/load-scenario.js';
import { evaluateThresholds, scenarioThresholds } from '../../../src/analysis/thresholds.js';
import { parseThreshold, type Threshold } from '../../../src/spec/threshold.js';
import { loadFixture, withSyntheticSections } from '../report/fixtures.js';

function parsed(source: string, context: 'scenario' | 'compare' = 'scenario'): Threshold {
  const r = parseThreshold(source, context);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('threshold expressions', () => {
  it('parse latency, percentage, bit-rate and overhead thresholds into canonical units', () => {
    expect(parsed('p99 < 5ms')).toMatchObject({
      target: { kind: 'absolute', figure: 'p99' },
      operator: '<',
      limit: 5000,
    });
    expect(parsed('p(99.9) <= 250us').target).toEqual({ kind: 'absolute', figure: 'p999' });
    expect(parsed('loss < 0.1%').limit).toBeCloseTo(0.1, 12);
    expect(parsed('throughput >= 9Gbit').limit).toBe(9e9);
    expect(parsed('overhead.p99 < 30%')).toMatchObject({
      target: { kind: 'overhead', figure: 'p99' },
      limit: 30,
    });
    expect(parsed('change.throughput > -5%', 'compare').limit).toBe(-5);
  });

  it('reject mistakes with a message naming the bad part and a hint', () => {
    const cases: [string, 'scenario' | 'compare', RegExp, RegExp][] = [
      ['p99 < 5', 'scenario', /no unit/, /5ms/],
      ['lost < 1%', 'scenario', /unknown figure "lost"/, /did you mean "loss < 1%"/],
      ['loss < 0.1', 'scenario', /must be a percentage/, /0\.1%/],
      ['p99 5ms', 'scenario', /is not "<figure> <operator> <limit>"/, /p99 < 5ms/],
      ['change.p99 < 10%', 'scenario', /compares two runs/, /overhead\.p99/],
      ['overhead.p99 < 10%', 'compare', /scenario threshold/, /change\.p99/],
      ['p99 < 5ms', 'compare', /absolute figure/, /change\.p99/],
      [
        'overhead.loss < 1%',
        'scenario',
        /cannot be compared|not a figure that can be compared/,
        /overhead\.p50/,
      ],
    ];
    for (const [source, context, message, hint] of cases) {
      const r = parseThreshold(source, context);
      expect(r.ok, source).toBe(false);
      if (!r.ok) {
        expect(r.message, source).toMatch(message);
        expect(r.hint, source).toMatch(hint);
      }
    }
  });

  it('are validated when the scenario is read, each problem at its line', () => {
    const yaml = [
      'name: t',
      'matrix: { datapath: [bridge, vxlan] }',
      'thresholds:',
      '  - p99 < 5',
      '  - overhead.p50 < 10%',
      '  - { check: "lost < 1%", where: { datapath: vxlan } }',
    ].join('\n');
    try {
      parseScenario(yaml, 't.yaml');
      expect.unreachable();
    } catch (error) {
      const e = error as {
        code: string;
        problems: { path: string; line?: number; message: string }[];
      };
      expect(e.code).toBe('NB_SPEC_INVALID');
      expect(e.problems.map((p) => [p.path, p.line])).toEqual([
        ['thresholds[0]', 4],
        ['thresholds[1]', 5],
        ['thresholds[2].check', 6],
      ]);
      expect(e.problems[1]!.message).toMatch(/need a baseline/);
    }
  });

  it('need a baseline value the scenario actually has', () => {
    try {
      parseScenario(
        'name: t\nmatrix: { datapath: [bridge, vxlan] }\nbaseline: { datapath: routed }\n',
        't.yaml',
      );
      expect.unreachable();
    } catch (error) {
      const e = error as { problems: { path: string; message: string; hint?: string }[] };
      expect(e.problems).toHaveLength(1);
      expect(e.problems[0]!.path).toBe('baseline.datapath');
      expect(e.problems[0]!.message).toMatch(/"routed" is not one of the scenario's values/);
      expect(e.problems[0]!.hint).toMatch(/matrix\.datapath/);
    }
    const ok = parseScenario(
      'name: t\nmatrix: { datapath: [bridge, vxlan] }\nbaseline: { datapath: bridge }\nthresholds: ["overhead.p99 < 30%"]\n',
      't.yaml',
    );
    expect(ok.baseline).toEqual({ datapath: 'bridge' });
    expect(ok.thresholds).toEqual(['overhead.p99 < 30%']);
  });
});

describe('threshold evaluation', () => {
  it('checks every trial a threshold applies to, point estimate against the limit', async () => {
    const results = await loadFixture('datapaths');
    const { analysis } = analyzeResults(results);
    const { thresholds, invalid } = scenarioThresholds(results.scenario);
    expect(invalid).toEqual([]);
    const outcomes = evaluateThresholds(analysis, thresholds);
    const byText = new Map(outcomes.map((o) => [o.threshold, o]));
    // The fixture's scenario (test/fixtures/results/datapaths/scenario.yaml) holds one threshold
    // no HTTP path on this machine meets: p50 < 100us on vxlan.
    const impossible = byText.get('p50 < 100us')!;
    expect(impossible.passed).toBe(false);
    expect(impossible.checks.map((c) => c.trialId)).toEqual(['vxlan/cross-node']);
    expect(byText.get('p99 < 50ms')!.checks.length).toBe(3);
    const overhead = byText.get('overhead.p50 < 30%')!;
    expect(overhead.checks.every((c) => c.againstId === 'bridge/same-node')).toBe(true);
  });

  it('fail when there is nothing to check, so a typo never passes silently', async () => {
    const { analysis } = analyzeResults(await loadFixture('quick-a'));
    const [noThroughput, noTrial] = evaluateThresholds(analysis, [
      parsed('throughput > 1Gbit'),
      { ...parsed('p99 < 1s'), where: { datapath: 'cilium' } },
    ]);
    expect(noThroughput!.passed).toBe(false);
    expect(noThroughput!.reason).toMatch(/no trial has a valid measurement of throughput/);
    expect(noTrial!.passed).toBe(false);
    expect(noTrial!.reason).toMatch(/matching `where`/);
  });

  it('evaluate throughput and loss thresholds when the run measured them', async () => {
    const { analysis } = analyzeResults(withSyntheticSections(await loadFixture('quick-a')));
    const [throughput, loss] = evaluateThresholds(analysis, [
      parsed('throughput > 1Gbit'),
      parsed('loss < 0.001%'),
    ]);
    expect(throughput!.passed).toBe(true);
    expect(loss!.passed).toBe(false);
  });
});
