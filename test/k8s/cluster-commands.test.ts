import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { packAgentBundle } from '../../src/platform/kubernetes/agent-bundle.js';
import { createKubeApi, loadKubeConfig } from '../../src/platform/kubernetes/kube-api.js';
import { namespaceObject } from '../../src/platform/kubernetes/manifests.js';
import { cli } from '../helpers/cli-context.js';
import type { FakeKubeServer } from '../helpers/fake-kube/fake-kube-server.js';
import { ensureAgentBundle, fakeCluster, leftovers } from './fake-server.js';

const bundle = packAgentBundle(new Map([['a.js', Buffer.from('')]]));

describe('netbench cluster status|down (fake API server)', () => {
  let server: FakeKubeServer;
  beforeAll(async () => {
    server = await fakeCluster();
    const api = createKubeApi(loadKubeConfig({ kubeconfig: server.kubeconfigPath }));
    // A crashed run (its pid is gone) and a live one (this test process).
    await api.apply(
      namespaceObject({
        runId: 'dead1',
        owner: { host: hostname(), pid: 2 ** 22 + 1, startedAt: 'x', purpose: 'run' },
        bundle,
        hostNetwork: false,
      }),
    );
    await api.apply(
      namespaceObject({
        runId: 'live1',
        owner: { host: hostname(), pid: process.pid, startedAt: 'x', purpose: 'run' },
        bundle,
        hostNetwork: false,
      }),
    );
  });
  afterAll(async () => server.close());

  it('status lists each run namespace by label with whether its run still runs', async () => {
    const r = await cli(['cluster', 'status', '--kubeconfig', server.kubeconfigPath, '--json']);
    expect(r.exitCode).toBe(0);
    const { runs } = JSON.parse(r.stdout) as { runs: { runId: string; state: string }[] };
    expect(runs.map((x) => [x.runId, x.state]).sort()).toEqual([
      ['dead1', 'leftover'],
      ['live1', 'running'],
    ]);
  });

  it('down removes leftovers of crashed runs and keeps a running one', async () => {
    const r = await cli(['cluster', 'down', '--kubeconfig', server.kubeconfigPath]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('removed namespace nb-dead1');
    expect(r.stderr).toContain('kept live1');
    expect(leftovers(server)).toEqual(['namespaces//nb-live1']);
    const forced = await cli([
      'cluster',
      'down',
      '--run',
      'live1',
      '--force',
      '--kubeconfig',
      server.kubeconfigPath,
    ]);
    expect(forced.stdout).toContain('removed namespace nb-live1');
    expect(leftovers(server)).toEqual([]);
  });
});

describe('netbench plan --manifests and images (no cluster)', () => {
  beforeAll(() => ensureAgentBundle());

  it('plan --manifests writes one YAML per topology with every object the run would create', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nb-manifests-'));
    const r = await cli([
      'plan',
      'examples/kubernetes.yaml',
      '--nodes',
      'w1,w2',
      '--manifests',
      dir,
      '--json',
    ]);
    expect(r.exitCode).toBe(0);
    const files = (await readdir(dir)).sort();
    // 12 trials, 8 topologies: http and tcp-crr share their pods except behind the Service.
    expect(files).toHaveLength(8);
    expect(files[0]).toBe('01-http-bridge-same-node-no-mesh.yaml');
    const docs = parseAllDocuments(await readFile(join(dir, files[0]!), 'utf8')).map(
      (d) => d.toJS() as { kind: string; spec?: { nodeName?: string } },
    );
    expect(docs.map((d) => d.kind)).toEqual(['Namespace', 'ConfigMap', 'Pod', 'Pod']);
    expect(docs.filter((d) => d.kind === 'Pod').map((d) => d.spec?.nodeName)).toEqual(['w1', 'w1']);
  });

  it('plan --manifests without --nodes says that plan does not contact a cluster', async () => {
    const r = await cli(['plan', 'examples/kubernetes.yaml', '--manifests', '/tmp/x']);
    expect(r.stderr).toContain('error NB_USAGE_BAD_FLAG: --manifests needs the cluster nodes');
    expect(r.exitCode).toBe(2);
  });

  it('images prints the digest-pinned agent image, relocated by --registry', async () => {
    const r = await cli(['images', 'examples/kubernetes.yaml', '--registry', 'mirror.local:5000']);
    expect(r.stdout.trim()).toMatch(
      /^mirror\.local:5000\/library\/node:20-bookworm-slim@sha256:[0-9a-f]{64}$/,
    );
  });

  it('tool workloads without --tools-image are refused at plan time with the hint', async () => {
    const file = 'test/fixtures/scenarios/k8s-tcp-rr.yaml';
    const tools = await cli(['plan', file]);
    expect(tools.stderr).toContain(
      'workload tcp-rr runs sockperf or iperf3 in the pods; give an image that has them (and ss) with --tools-image',
    );
    expect(tools.exitCode).toBe(3);
    const digest = `tools@sha256:${'a'.repeat(64)}`;
    expect((await cli(['plan', file, '--tools-image', digest])).exitCode).toBe(0);
  });
});
