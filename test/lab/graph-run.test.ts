/**
 * `netbench run` with the graph workload through the built binary: a small BookInfo graph spread
 * over two nodes, with the policy generated from its edges, measures end to end, every service
 * and edge records what it saw, traces join, and the run leaves nothing behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeGraphs } from '../../src/analysis/graph-hops.js';
import { resultsSchema } from '../../src/results/schema.js';
import { assertRoot, binPath, namespacesOf } from '../helpers/lab.js';

const scenario = `
name: graph-smoke
repetitions: 1
warmup: 300ms
duration: 1s
seed: 5
matrix:
  workload: graph
  graph: bookinfo
  rate: 100
  connections: 2
  datapath: routed
  placement: cross-node
  policy: default-deny-allow
  enforcer: nftables
`;

describe('netbench run with a service graph', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netbench-graph-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures bookinfo across nodes under its generated policy and leaves nothing behind', async () => {
    assertRoot();
    writeFileSync(join(dir, 'graph.yaml'), scenario);
    const out = join(dir, 'out');
    const r = spawnSync(process.execPath, [binPath, 'run', 'graph.yaml', '--out', out, '--quiet'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(r.stderr).not.toMatch(/error NB_/);
    expect(r.status).toBe(0);
    const results = resultsSchema.parse(
      JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')),
    );
    const [trial] = results.trials;
    const rep = trial!.repetitions[0]!;
    expect(rep.status).not.toBe('failed');
    expect(rep.errors).toBe(0);
    expect(trial!.datapath?.policy?.label).toBe('graph-edges');
    const graph = rep.graph!;
    expect(graph.services.map((s) => s.service)).toEqual([
      'product',
      'details',
      'reviews',
      'ratings',
    ]);
    for (const s of graph.services) expect(s.requests, s.service).toBeGreaterThan(0);
    expect(graph.services.find((s) => s.service === 'reviews')?.nodes).toHaveLength(1);
    expect(graph.edges.map((e) => `${e.from}>${e.to}:${e.placement}:${e.errors}`)).toEqual([
      'product>details:cross-node:0',
      'product>reviews:cross-node:0',
      'reviews>ratings:cross-node:0',
    ]);
    // Calls to reviews went to all three replicas.
    const reviewPods = graph.edges.find((e) => e.to === 'reviews')!.pairs.map((p) => p.toPod);
    expect(reviewPods.sort()).toEqual(['reviews1', 'reviews2', 'reviews3']);
    expect(graph.tracesJoined).toBeGreaterThan(0);
    const analysis = analyzeGraphs(results)!;
    expect(analysis.waterfalls.map((w) => w.which)).toEqual(['typical', 'p99']);
    expect(analysis.trials[0]?.hopUsP50?.value).toBeGreaterThan(0);
    expect(existsSync(`/run/netbench/${results.runId}`)).toBe(false);
    expect(await namespacesOf(results.runId)).toEqual([]);
  });
});
