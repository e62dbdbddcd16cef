import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cli } from '../helpers/cli-context.js';
import { startKubeListServer, type KubeListServer } from '../helpers/kube-list-server.js';

const fixtures = new URL('../fixtures/policy/', import.meta.url).pathname;
const dump = `${fixtures}kubectl-dump.yaml`;
const dumpItems = (parse(readFileSync(dump, 'utf8')) as { items: Record<string, unknown>[] }).items;

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'netbench-policy-cluster-')), name);
  writeFileSync(path, text);
  return path;
}

interface Line {
  from: string;
  to: string;
  port: number;
  protocol: string;
  allowed: boolean;
  self?: boolean;
  reason?: string;
}

const lines = (stdout: string): Line[] =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);

describe('netbench policy evaluate --from-file', () => {
  it('reads a kubectl List dump: Running pods with their addresses, labels and container ports', async () => {
    const r = await cli(['policy', 'evaluate', '--from-file', dump, '--format', 'ndjson']);
    expect(r.exitCode).toBe(0);
    const verdicts = lines(r.stdout);
    const verdict = (from: string, to: string, port: number, protocol = 'TCP'): Line | undefined =>
      verdicts.find(
        (v) => v.from === from && v.to === to && v.port === port && v.protocol === protocol,
      );
    // payments/api may reach shop/web on its named port http (8080): both sides allow it.
    expect(verdict('payments/api-6b8f7c-p9r3t', 'shop/web-7d4b9c-x2x9q', 8080)?.allowed).toBe(true);
    // shop is default-deny for ingress; only payments is admitted, and only to web.
    expect(
      verdict('kube-system/coredns-668d6bf9bc-7tq2w', 'shop/web-7d4b9c-x2x9q', 8080)?.allowed,
    ).toBe(false);
    // api's egress allows DNS over UDP to kube-dns, not over TCP.
    expect(
      verdict('payments/api-6b8f7c-p9r3t', 'kube-system/coredns-668d6bf9bc-7tq2w', 53, 'UDP')
        ?.allowed,
    ).toBe(true);
    expect(
      verdict('payments/api-6b8f7c-p9r3t', 'kube-system/coredns-668d6bf9bc-7tq2w', 53, 'TCP')
        ?.allowed,
    ).toBe(false);
  });

  it('leaves out pods not Running and hostNetwork pods, and says so on stderr', async () => {
    const r = await cli(['policy', 'evaluate', '--from-file', dump, '--format', 'ndjson']);
    const pods = new Set(lines(r.stdout).flatMap((v) => [v.from, v.to]));
    expect([...pods].sort()).toEqual([
      'kube-system/coredns-668d6bf9bc-7tq2w',
      'payments/api-6b8f7c-p9r3t',
      'shop/db-5f6c8d-q7w4e',
      'shop/web-7d4b9c-k8m2z',
      'shop/web-7d4b9c-x2x9q',
    ]);
    expect(r.stderr).toContain(
      'left out 2 pods not Running (no network endpoint): payments/api-6b8f7c-n4h6j (Pending), payments/settle-29412-zx8vb (Succeeded)',
    );
    expect(r.stderr).toContain('left out 1 hostNetwork pods');
    expect(r.stderr).toContain('kube-system/kube-proxy-2xk9d');
  });

  it('reads the same cluster from JSON and from multi-document YAML', async () => {
    const asList = await cli(['policy', 'evaluate', '--from-file', dump, '--format', 'ndjson']);
    const json = tempFile('dump.json', JSON.stringify(parse(readFileSync(dump, 'utf8'))));
    const multi = tempFile('dump.yaml', dumpItems.map((o) => stringify(o)).join('---\n'));
    for (const file of [json, multi]) {
      const r = await cli(['policy', 'evaluate', '--from-file', file, '--format', 'ndjson']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(asList.stdout);
    }
  });

  it('evaluates other policies against the dump’s pods with --policies', async () => {
    const open = tempFile('none.yaml', '');
    const r = await cli([
      'policy',
      'evaluate',
      '--from-file',
      dump,
      '--policies',
      open,
      '--format',
      'summary',
    ]);
    const summary = JSON.parse(r.stdout) as {
      denied: number;
      policies: number;
      unisolated: string[];
    };
    expect(summary).toMatchObject({ denied: 0, policies: 0 });
    expect(summary.unisolated).toHaveLength(5);
  });

  it('lints a dump with its pods (a policy selecting no pod is found)', async () => {
    const typo = tempFile(
      'typo.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: typo, namespace: shop }\nspec: { podSelector: { matchLabels: { app: wbe } } }\n',
    );
    const r = await cli(['policy', 'lint', '--from-file', dump, '--policies', typo, '--json']);
    const out = JSON.parse(r.stdout) as { findings: { rule: string; subject: string }[] };
    expect(out.findings).toContainEqual(
      expect.objectContaining({ rule: 'selects-no-pods', subject: 'shop/typo' }),
    );
  });

  it('rejects two sources for the cluster as a usage error', async () => {
    const r = await cli(['policy', 'evaluate', '--from-file', dump, '--from-cluster']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(
      'error NB_USAGE_BAD_FLAG: --from-file and --from-cluster both name the cluster',
    );
  });
});

describe('netbench policy evaluate --from-cluster', () => {
  let server: KubeListServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('reads namespaces, pods and NetworkPolicies with paged list calls, as from the dump', async () => {
    server = await startKubeListServer(dumpItems);
    const fromFile = await cli(['policy', 'evaluate', '--from-file', dump, '--format', 'ndjson']);
    const r = await cli([
      'policy',
      'evaluate',
      '--from-cluster',
      '--kubeconfig',
      server.kubeconfig,
      '--context',
      'test',
      '--format',
      'ndjson',
    ]);
    expect(r.stderr).not.toContain('error');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(fromFile.stdout);
    expect(new Set(server.requests.map((q) => q.split('?')[0]))).toEqual(
      new Set([
        'GET /api/v1/namespaces',
        'GET /api/v1/pods',
        'GET /apis/networking.k8s.io/v1/networkpolicies',
      ]),
    );
    // 8 pods at 3 per page: three pod requests, the last two following `continue`.
    expect(server.requests.filter((q) => q.startsWith('GET /api/v1/pods'))).toHaveLength(3);
    expect(server.requests.filter((q) => q.includes('continue=6'))).toHaveLength(1);
  });

  it('fails with NB_POLICY_CLUSTER_UNREACHABLE and a hint when the API server is not there', async () => {
    server = await startKubeListServer([]);
    const { kubeconfig } = server;
    await server.close();
    server = undefined;
    const r = await cli(['policy', 'evaluate', '--from-cluster', '--kubeconfig', kubeconfig]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('error NB_POLICY_CLUSTER_UNREACHABLE: cannot read context test');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown context as a cluster it cannot reach', async () => {
    server = await startKubeListServer(dumpItems);
    const r = await cli([
      'policy',
      'evaluate',
      '--from-cluster',
      '--kubeconfig',
      server.kubeconfig,
      '--context',
      'nope',
    ]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('NB_POLICY_CLUSTER_UNREACHABLE');
  });
});
