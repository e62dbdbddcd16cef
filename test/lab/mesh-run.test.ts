/**
 * `netbench run` with every mesh model, through the built binary: each trial measures (no
 * errors), records what the mesh was, and nothing of the run is left behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultsSchema } from '../../src/results/schema.js';
import { assertRoot, binPath, namespacesOf } from '../helpers/lab.js';
import type { MeshName } from '../../src/spec/dimensions.js';

const scenario = `
name: mesh-smoke
repetitions: 1
warmup: 200ms
duration: 1s
seed: 3
matrix:
  rate: 200
  connections: 2
  payload: 256
  datapath: bridge
  placement: same-node
  mesh: [none, sidecar, node-proxy, node-proxy+waypoint]
  mtls: strict
  proxyConcurrency: 1
`;

describe('netbench run with every mesh model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netbench-mesh-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures each model with strict mTLS and leaves nothing behind', async () => {
    assertRoot();
    writeFileSync(join(dir, 'mesh.yaml'), scenario);
    const out = join(dir, 'out');
    const r = spawnSync(process.execPath, [binPath, 'run', 'mesh.yaml', '--out', out, '--quiet'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(r.stderr).not.toMatch(/error NB_/);
    expect(r.status).toBe(0);
    const results = resultsSchema.parse(
      JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')),
    );
    expect(results.status).toBe('complete');
    const byMesh = new Map(results.trials.map((t) => [t.dimensions.mesh, t]));
    expect([...byMesh.keys()].sort()).toEqual([
      'node-proxy',
      'node-proxy+waypoint',
      'none',
      'sidecar',
    ]);
    for (const t of results.trials) {
      const [rep] = t.repetitions;
      expect(rep?.status, t.id).not.toBe('failed');
      expect(rep?.requests?.completed, t.id).toBeGreaterThan(0);
      expect(rep?.errors, t.id).toBe(0);
    }
    expect(byMesh.get('none')?.datapath?.mesh).toBeUndefined();
    // Proxies are accounted apart from the applications they serve.
    const groups = (mode: MeshName) =>
      (byMesh.get(mode)?.repetitions[0]?.resources ?? []).map(
        (g) => `${g.scope}:${g.name}:${g.role}`,
      );
    expect(groups('none')).not.toContainEqual(expect.stringContaining('sidecar'));
    expect(groups('sidecar')).toEqual(
      expect.arrayContaining([
        'pod:client:client',
        'pod:client/sidecar:sidecar',
        'pod:server/sidecar:sidecar',
      ]),
    );
    expect(groups('node-proxy')).toContain('node:node-proxy:node-proxy');
    expect(groups('node-proxy+waypoint')).toEqual(
      expect.arrayContaining(['node:node-proxy:node-proxy', 'pod:waypoint:waypoint']),
    );
    for (const mode of ['sidecar', 'node-proxy', 'node-proxy+waypoint'] as const) {
      const mesh = byMesh.get(mode)?.datapath?.mesh;
      expect(mesh?.mode).toBe(mode);
      expect(mesh?.tlsVersion).toBe('TLSv1.3');
      expect(mesh?.concurrency).toBe(1);
      expect(mesh?.proxyVersion).toMatch(/^HAProxy version 2\./);
    }
    expect(await namespacesOf(results.runId)).toEqual([]);
    expect(existsSync(`/run/netbench/${results.runId}`)).toBe(false);
  });
});
