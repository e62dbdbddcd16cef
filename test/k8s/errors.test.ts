import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, type CapturedCli } from '../helpers/cli-context.js';
import { fakeKubeconfig, type FakeKubeServer } from '../helpers/fake-kube/fake-kube-server.js';
import { fakeCluster, leftovers } from './fake-server.js';

const scenario = 'test/fixtures/scenarios/k8s-one-trial.yaml';

async function run(kubeconfig: string, ...extra: string[]): Promise<CapturedCli & { out: string }> {
  const out = await mkdtemp(join(tmpdir(), 'nb-k8s-err-'));
  const r = await cli([
    'run',
    scenario,
    '--kubeconfig',
    kubeconfig,
    '--out',
    out,
    '--quiet',
    ...extra,
  ]);
  return { ...r, out };
}

describe('kubernetes platform errors (fake API server)', () => {
  let server: FakeKubeServer;
  beforeAll(async () => {
    server = await fakeCluster();
  });
  afterAll(async () => server.close());
  afterEach(() => {
    for (const k of Object.keys(server.faults))
      delete server.faults[k as keyof typeof server.faults];
  });

  it('an unreachable API server is NB_K8S_UNREACHABLE with a hint about the context', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dir = await mkdtemp(join(tmpdir(), 'nb-kc-'));
    await writeFile(join(dir, 'kubeconfig'), fakeKubeconfig(`http://127.0.0.1:${port}`));
    const r = await run(join(dir, 'kubeconfig'));
    expect(r.stderr).toContain('error NB_K8S_UNREACHABLE');
    expect(r.stderr).toContain('ECONNREFUSED');
    expect(r.stderr).toContain('hint: check the kubeconfig context');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.exitCode).toBe(4);
  });

  it('expired credentials (401) are NB_K8S_UNAUTHORIZED and say to log in again', async () => {
    server.faults.unauthorized = true;
    const r = await run(server.kubeconfigPath);
    expect(r.stderr).toContain('error NB_K8S_UNAUTHORIZED');
    expect(r.stderr).toContain('log in again');
    expect(r.exitCode).toBe(4);
  });

  it('a 403 names the verb and resource that is missing, and leaves nothing behind', async () => {
    server.faults.forbid = { verb: 'patch', resource: 'pods' };
    const r = await run(server.kubeconfigPath);
    expect(r.stderr).toContain(
      'error NB_K8S_FORBIDDEN: permission denied: cannot patch pods in nb-',
    );
    expect(r.stderr).toContain('kubectl auth can-i patch pods');
    expect(leftovers(server)).toEqual([]);
  });

  it('ImagePullBackOff fails at once with NB_K8S_IMAGE_PULL_FAILED and the mirroring hint', async () => {
    server.faults.imagePull = true;
    const r = await run(server.kubeconfigPath);
    expect(r.stderr).toContain('error NB_K8S_IMAGE_PULL_FAILED');
    expect(r.stderr).toContain('ImagePullBackOff');
    expect(r.stderr).toContain('netbench images');
    expect(leftovers(server)).toEqual([]);
  });

  it('pods never Ready are named with the events that say why', async () => {
    server.faults.neverReady = true;
    const r = await cli([
      'run',
      'test/fixtures/scenarios/k8s-short-ready.yaml',
      '--kubeconfig',
      server.kubeconfigPath,
      '--quiet',
      '--out',
      await mkdtemp(join(tmpdir(), 'nb-k8s-err-')),
    ]);
    expect(r.stderr).toContain('error NB_K8S_PODS_NOT_READY');
    expect(r.stderr).toMatch(
      /e1-client \(Pending\) — FailedScheduling: 0\/3 nodes are available: 3 Insufficient cpu/,
    );
    expect(leftovers(server)).toEqual([]);
  });

  it('a quota refusal in the server-side dry run is NB_K8S_QUOTA_EXCEEDED, before any pod exists', async () => {
    server.faults.quota = true;
    const before = server.requests.length;
    const r = await run(server.kubeconfigPath);
    expect(r.stderr).toContain('error NB_K8S_QUOTA_EXCEEDED');
    expect(r.stderr).toContain('exceeded quota: compute-resources');
    expect(
      server.requests.slice(before).some((q) => q.includes('/watch') || q.startsWith('UPGRADE')),
    ).toBe(false);
    expect(leftovers(server)).toEqual([]);
  });

  it('an admission webhook refusal is NB_K8S_ADMISSION_REFUSED with what to exempt', async () => {
    server.faults.admissionDeny = true;
    const r = await run(server.kubeconfigPath);
    expect(r.stderr).toContain('error NB_K8S_ADMISSION_REFUSED');
    expect(r.stderr).toContain('denied the request');
    expect(r.stderr).toContain('app.kubernetes.io/managed-by=netbench');
    expect(leftovers(server)).toEqual([]);
  });

  it('a watch that expires once is relisted and the run completes', async () => {
    server.faults.watchGone = 'once';
    const before = server.requests.length;
    const r = await run(server.kubeconfigPath);
    expect(r.stderr).not.toContain('error NB_');
    expect(r.exitCode, r.stderr).toBe(0);
    const podLists = server.requests
      .slice(before)
      .filter((q) => /^GET \/api\/v1\/namespaces\/nb-[a-z0-9]+\/pods$/.test(q));
    // list, watch (410), relist, watch: the watch requests are GETs of the same path.
    expect(podLists.length).toBeGreaterThanOrEqual(4);
  });

  it('a watch that keeps expiring (410) is NB_K8S_WATCH_EXPIRED', async () => {
    server.faults.watchGone = 'always';
    const r = await run(server.kubeconfigPath);
    expect(r.stderr).toContain('error NB_K8S_WATCH_EXPIRED');
    expect(r.stderr).toContain('410');
    expect(leftovers(server)).toEqual([]);
  });

  it('a missing nodes/proxy permission runs without per-container readings and says which are missing', async () => {
    server.faults.forbid = { verb: 'get', resource: 'nodes/proxy' };
    const r = await run(server.kubeconfigPath);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('reading missing: CPU and memory per container on fake-worker');
    expect(r.stderr).toContain('cannot get nodes/proxy (403 Forbidden)');
  });
});

describe('kubernetes platform over HTTPS with a bearer token (fake API server)', () => {
  let server: FakeKubeServer;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nb-k8s-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const tls = {
      key: await readFile(join(dir, 'key.pem'), 'utf8'),
      cert: await readFile(join(dir, 'cert.pem'), 'utf8'),
      token: 'secret-token',
    };
    server = await fakeCluster({ tls });
  });
  afterAll(async () => server.close());

  it('runs a trial over TLS with the token from the kubeconfig', async () => {
    const r = await run(server.kubeconfigPath);
    expect(r.stderr).not.toContain('error NB_');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(server.url.startsWith('https://')).toBe(true);
    expect(leftovers(server)).toEqual([]);
  });

  it('a wrong token is refused as NB_K8S_UNAUTHORIZED', async () => {
    const text = (await readFile(server.kubeconfigPath, 'utf8')).replace(
      'secret-token',
      'stale-token',
    );
    await writeFile(join(dir, 'stale'), text);
    const r = await run(join(dir, 'stale'));
    expect(r.stderr).toContain('error NB_K8S_UNAUTHORIZED');
  });
});
