/**
 * A minimal Kubernetes API server for tests, on 127.0.0.1 port 0: it serves the three list
 * calls `--from-cluster` makes (namespaces, pods of all namespaces, NetworkPolicies of all
 * namespaces), paged with `limit` and `continue` as the real one does, items without kind as
 * the real one sends them. Small on purpose: a full fake API server can replace it later.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubeListServer {
  url: string;
  /** A kubeconfig file whose context `test` points at the server. */
  kubeconfig: string;
  /** Requests served, as `METHOD path?query`. */
  requests: string[];
  close(): Promise<void>;
}

type Obj = Record<string, unknown>;

const routes: Record<string, { kind: string; apiVersion: string; itemKind: string }> = {
  '/api/v1/namespaces': { kind: 'NamespaceList', apiVersion: 'v1', itemKind: 'Namespace' },
  '/api/v1/pods': { kind: 'PodList', apiVersion: 'v1', itemKind: 'Pod' },
  '/apis/networking.k8s.io/v1/networkpolicies': {
    kind: 'NetworkPolicyList',
    apiVersion: 'networking.k8s.io/v1',
    itemKind: 'NetworkPolicy',
  },
};

/**
 * Serves the objects of `items` (Namespaces, Pods, NetworkPolicies, with their kind), at most
 * `maxPage` per response whatever the limit asked (an API server may return fewer), so
 * clients must follow `continue`.
 */
export async function startKubeListServer(
  items: readonly Obj[],
  maxPage = 3,
): Promise<KubeListServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const route = routes[url.pathname];
    if (req.method !== 'GET' || route === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'NotFound',
          code: 404,
        }),
      );
      return;
    }
    const all = items
      .filter((o) => o.kind === route.itemKind)
      .map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest);
    const asked = Number(url.searchParams.get('limit') ?? all.length) || all.length;
    const limit = Math.min(asked, maxPage);
    const start = Number(url.searchParams.get('continue') ?? 0);
    const page = all.slice(start, start + limit);
    const next = start + limit < all.length ? String(start + limit) : undefined;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: route.kind,
        apiVersion: route.apiVersion,
        metadata: { resourceVersion: '4242', ...(next === undefined ? {} : { continue: next }) },
        items: page,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'netbench-kube-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{ name: test, cluster: { server: "' +
        url +
        '", insecure-skip-tls-verify: true } }]',
      'users: [{ name: test, user: { token: test-token } }]',
      'contexts: [{ name: test, context: { cluster: test, user: test } }]',
      'current-context: test',
    ].join('\n'),
  );
  return {
    url,
    kubeconfig,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
