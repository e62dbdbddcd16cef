import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/schema.js';
import { assertRoot, binPath, namespacesOf, repoRoot } from '../helpers/lab.js';

interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNetbench(args: string[]): Promise<Spawned> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binPath, ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('netbench run examples/quick.yaml on the lab', () => {
  let out: string;
  let run: Spawned;
  let results: Results;

  beforeAll(async () => {
    assertRoot();
    out = await mkdtemp(join(tmpdir(), 'nb-quick-'));
    run = await runNetbench(['run', 'examples/quick.yaml', '--out', out, '--json']);
    results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
  }, 240_000);

  it('exits 0 and prints where the results are', () => {
    expect(run.stderr).not.toContain('error NB_');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'complete',
      results: join(out, 'results.json'),
    });
  });

  it('writes a complete results.json with every trial and repetition', () => {
    expect(results.schemaVersion).toBe(1);
    expect(results.status).toBe('complete');
    expect(results.tool.name).toBe('netbench');
    expect(results.environment.kernel).not.toBe('');
    expect(results.trials.map((t) => t.id)).toEqual([
      'bridge/same-node',
      'vxlan/cross-node',
      'routed/cross-node',
    ]);
    for (const t of results.trials) expect(t.repetitions).toHaveLength(2);
  });

  it('measures ordered, positive percentiles and the requested rate within 2 %', () => {
    for (const t of results.trials) {
      for (const r of t.repetitions) {
        expect(r.status, `${t.id} rep ${r.index}: ${r.error?.message ?? ''}`).not.toBe('failed');
        const l = r.latencyUs!;
        expect(l.p50).toBeGreaterThan(0);
        expect(l.p50).toBeLessThanOrEqual(l.p90);
        expect(l.p90).toBeLessThanOrEqual(l.p99);
        expect(r.requestedRps).toBe(500);
        // A generator that fell behind its schedule flags the repetition invalid, with the reason;
        // the 2 % promise is for repetitions it vouches for.
        if (r.status === 'invalid') expect(r.invalidReasons.length).toBeGreaterThan(0);
        else expect(Math.abs(r.achievedRps! - 500) / 500).toBeLessThan(0.02);
        expect(r.histograms?.latencyUs).toMatch(/^HISTFAAA/);
      }
    }
  });

  it('records what each datapath really was', () => {
    const byId = Object.fromEntries(results.trials.map((t) => [t.id, t.datapath!]));
    expect(byId['bridge/same-node']).toMatchObject({ encapsulation: 'none', podMtu: 1500 });
    expect(byId['vxlan/cross-node']).toMatchObject({ encapsulation: 'vxlan', podMtu: 1450 });
    expect(byId['routed/cross-node']?.routes).toContainEqual(
      expect.objectContaining({
        node: 'node1',
        destination: '10.244.2.0/24',
        via: '172.31.0.2',
        origin: 'static',
      }),
    );
  });

  it('writes a CSV row per trial and repetition', async () => {
    const csv = (await readFile(join(out, 'results.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(1 + 3 * 2);
    expect(csv[0]).toContain('latency_p99_us');
  });

  it('leaves no namespace or process of the run behind', async () => {
    expect(await namespacesOf(results.runId)).toEqual([]);
  });
});
