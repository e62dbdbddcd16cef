import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/schema.js';
import { cli } from '../helpers/cli-context.js';
import {
  fixturePath,
  loadFixture,
  syntheticRun,
  type SyntheticTrialSpec,
} from '../unit/report/fixtures.js';

let dir: string;
let baseline: string;
let slower: string;
let same: string;

async function save(name: string, results: Results): Promise<string> {
  const d = join(dir, name);
  await mkdir(d, { recursive: true });
  await writeFile(join(d, 'results.json'), JSON.stringify(results));
  return d;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netbench-compare-'));
  // Synthetic runs from a seeded RNG (see test/unit/report/fixtures.ts): B is 40 % slower.
  const template = await loadFixture('quick-a');
  const trial = (medianUs: number): SyntheticTrialSpec[] => [
    {
      dimensions: { workload: 'http', datapath: 'bridge', placement: 'same-node' },
      medianUs,
      repetitions: 4,
    },
  ];
  baseline = await save('a', syntheticRun(template, trial(400), 11, 'runa'));
  slower = await save('b', syntheticRun(template, trial(560), 12, 'runb'));
  same = await save('c', syntheticRun(template, trial(400), 13, 'runc'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('netbench compare', () => {
  it('prints each figure of each matched trial with its change, interval and verdict', async () => {
    const r = await cli(['compare', fixturePath('quick-a'), fixturePath('datapaths')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/A: quick run dsttv/);
    expect(r.stdout).toMatch(/B: datapaths run zp6xr/);
    expect(r.stdout).toMatch(/trial\s+figure\s+A\s+B\s+change \[CI\]\s+verdict\s+p/);
    expect(r.stdout).toMatch(
      /bridge\/same-node\s+p99\s+\S+\s+\S+\s+[+-][\d.]+% \[[+-][\d.]+%, [+-][\d.]+%\]/,
    );
    expect(r.stdout).toMatch(/vxlan\/cross-node\s+p50 .* no verdict/);
  });

  it('exits 5 and lists the failure when a run crosses a threshold', async () => {
    const r = await cli([
      'compare',
      baseline,
      slower,
      '-t',
      'change.p99 < 10%',
      '--significant-only',
    ]);
    expect(r.exitCode).toBe(5);
    expect(r.stdout).toMatch(
      /FAIL {2}change\.p99 < 10%: http\/bridge\/same-node \+[\d.]+% \[\+[\d.]+%, \+[\d.]+%\] significant/,
    );
    expect(r.stderr).toMatch(/NB_THRESHOLDS_FAILED: 1 of 1 thresholds failed: change\.p99 < 10%/);
  });

  it('passes the same threshold between two runs of the same configuration', async () => {
    const r = await cli([
      'compare',
      baseline,
      same,
      '-t',
      'change.p99 < 10%',
      '--significant-only',
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/pass {2}change\.p99 < 10%/);
  });

  it('prints JSON for scripts', async () => {
    const r = await cli(['compare', baseline, slower, '--json']);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      rows: { trialId: string; figures: { p50: { change: { verdict: string } } } }[];
    };
    expect(doc.rows[0]!.figures.p50.change.verdict).toBe('significant');
  });

  it('rejects thresholds it cannot check, listing every problem', async () => {
    const r = await cli(['compare', baseline, slower, '-t', 'p99 < 5ms', '-t', 'change.p98 < 1%']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/2 --threshold values are not valid/);
    expect(r.stderr).toMatch(/--threshold #1: "p99" is an absolute figure/);
    expect(r.stderr).toMatch(/--threshold #2: "change\.p98" is not a figure that can be compared/);
  });

  it('refuses two runs with no trial in common', async () => {
    const other = await loadFixture('quick-a');
    const renamed = syntheticRun(
      other,
      [
        {
          dimensions: { workload: 'http', datapath: 'routed', placement: 'same-node' },
          medianUs: 300,
          repetitions: 2,
        },
      ],
      21,
    );
    const r = await cli(['compare', baseline, await save('d', renamed)]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/no trial in common/);
  });
});
