import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/schema.js';
import { cli } from '../helpers/cli-context.js';
import type { FakeKubeServer } from '../helpers/fake-kube/fake-kube-server.js';
import { fakeCluster, leftovers } from './fake-server.js';

describe('netbench run on the kubernetes platform (fake API server)', () => {
  let server: FakeKubeServer;
  beforeAll(async () => {
    server = await fakeCluster();
  });
  afterAll(async () => server.close());

  it('runs the example end to end, records the cluster and leaves nothing behind', async () => {
    const out = await mkdtemp(join(tmpdir(), 'nb-k8s-run-'));
    const r = await cli([
      'run',
      'examples/kubernetes.yaml',
      '--kubeconfig',
      server.kubeconfigPath,
      '--repetitions',
      '1',
      '--warmup',
      '0.3s',
      '--duration',
      '0.7s',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.stderr).not.toContain('error NB_');
    expect(r.exitCode, r.stderr).toBe(0);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
    expect(results.environment.platform).toBe('kubernetes');
    expect(results.environment.cluster).toMatchObject({
      flavour: 'kind',
      version: 'v1.31.0',
      cni: { name: 'kindnet', enforcesPolicy: true },
      kubeProxy: 'iptables',
      mesh: { name: 'istio', version: '1.24.1', ambient: false },
    });
    expect(results.environment.cluster?.nodes.map((n) => n.name)).toEqual([
      'fake-worker',
      'fake-worker2',
    ]);
    expect(results.trials).toHaveLength(12);
    for (const t of results.trials) {
      const rep = t.repetitions[0];
      expect(rep?.status, `${t.id}: ${rep?.error?.message}`).not.toBe('failed');
      expect(rep?.requests?.completed).toBeGreaterThan(0);
      expect(t.datapath?.kubernetes?.namespace).toMatch(/^nb-/);
    }
    const sidecar = results.trials.find((t) => t.id === 'http/bridge/same-node/sidecar');
    expect(sidecar?.datapath?.kubernetes?.pods.map((p) => p.meshProxy)).toEqual([
      'istio-proxy',
      'istio-proxy',
    ]);
    const cross = results.trials.find((t) => t.id === 'http/bridge/cross-node/no-mesh');
    expect(cross?.datapath?.kubernetes?.pods.map((p) => p.node)).toEqual([
      'fake-worker',
      'fake-worker2',
    ]);
    const client = cross?.repetitions[0]?.resources?.find((g) => g.name === 'client');
    expect(client?.cpuSeconds).toBeGreaterThan(0);
    expect(leftovers(server)).toEqual([]);
    expect(server.runningProcesses()).toBe(0);
    expect(server.requests.some((q) => q.startsWith('UPGRADE /api/v1/namespaces/nb-'))).toBe(true);
  });
});
