import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli-context.js';
import { fixturePath, fixturesDir } from '../unit/report/fixtures.js';

const examples = new URL('../../examples/requirements/', import.meta.url).pathname;
const meshRun = `${fixturesDir}mesh`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netbench-advise-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface AdviceJson {
  recommendations: {
    decision: string;
    choice: string;
    confidence: string;
    evidence: { runId: string; low: number | null }[];
  }[];
  warnings: { code: string }[];
  costModel: { meshes: { mesh: string; basis: string }[] };
}

describe('netbench advise', () => {
  it('prints the four decisions, warnings and the cost model as JSON, citing the run it read', async () => {
    const r = await cli([
      'advise',
      '--requirements',
      `${examples}mesh-budget.yaml`,
      meshRun,
      '--json',
    ]);
    expect(r.exitCode).toBe(0);
    const advice = JSON.parse(r.stdout) as AdviceJson;
    expect(advice.recommendations.map((x) => x.decision)).toEqual([
      'cni',
      'mesh',
      'kubeProxy',
      'observability',
    ]);
    expect(advice.recommendations.find((x) => x.decision === 'cni')?.choice).toBe('keep-current');
    // Recorded on a quiet machine: every repetition valid, so no weak-evidence warning.
    expect(advice.warnings.map((w) => w.code)).not.toContain('weak-evidence');
    expect(advice.costModel.meshes.map((m) => m.mesh)).toEqual([
      'cilium-mesh',
      'istio-ambient',
      'istio-sidecar',
      'linkerd',
    ]);
    // Missing interval bounds are null in the contract, not absent keys.
    const cited = advice.recommendations.flatMap((x) => x.evidence);
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.some((e) => e.runId === 'ram03')).toBe(true);
    for (const e of cited) expect(e).toHaveProperty('low');
  });

  it('renders Markdown by default and a standalone HTML page with -f html or an .html --out', async () => {
    const md = await cli(['advise', '--requirements', `${examples}small-dev.yaml`]);
    expect(md.exitCode).toBe(0);
    expect(md.stdout).toMatch(/^# Recommendation/);
    expect(md.stdout).toContain('## cni: flannel');
    const out = join(dir, 'advice.html');
    const html = await cli(['advise', '--requirements', `${examples}small-dev.yaml`, '-o', out]);
    expect(html.exitCode).toBe(0);
    expect(html.stderr).toContain(`wrote ${out}`);
    expect(await readFile(out, 'utf8')).toMatch(/^<!doctype html>[\s\S]*<h1>Recommendation<\/h1>/);
  });

  it('refuses an invalid requirements file with every problem and its line (exit 3)', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(
      bad,
      'cluster:\n  services: -1\n  pods: 1\n  nodes: 1\n  kernel: "6.1"\nneeds: { mtls: sometimes }\n',
    );
    const r = await cli(['advise', '--requirements', bad, '--json']);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/NB_ADVISE_REQUIREMENTS_INVALID/);
    expect(r.stderr).toMatch(/bad\.yaml:2: cluster\.services/);
    expect(r.stderr).toMatch(/bad\.yaml:6: needs\.mtls/);
  });

  it('is a usage error without --requirements, and a file error for a missing run', async () => {
    expect((await cli(['advise', meshRun])).exitCode).toBe(2);
    const missing = await cli([
      'advise',
      '--requirements',
      `${examples}small-dev.yaml`,
      join(dir, 'nope'),
    ]);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toMatch(/NB_FILE_NOT_FOUND/);
  });

  it('adds a Recommendation section to the HTML report with report --requirements', async () => {
    const r = await cli([
      'report',
      fixturePath('datapaths'),
      '-f',
      'html',
      '--requirements',
      `${examples}onprem-calico-bgp.yaml`,
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('<section id="recommendation"><h2>Recommendation</h2>');
    expect(r.stdout).toContain('kubeProxy: nftables');
    const plain = await cli(['report', fixturePath('datapaths'), '-f', 'html']);
    expect(plain.stdout).not.toContain('id="recommendation"');
  });

  it('run --requirements refuses a bad requirements file before measuring anything', async () => {
    const bad = join(dir, 'bad-run.yaml');
    await writeFile(bad, 'cluster: { services: 1 }\n');
    const r = await cli([
      'run',
      'examples/quick.yaml',
      '--requirements',
      bad,
      '--out',
      join(dir, 'never'),
    ]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/NB_ADVISE_REQUIREMENTS_INVALID/);
    await expect(readFile(join(dir, 'never', 'results.json'))).rejects.toThrow();
  });
});
