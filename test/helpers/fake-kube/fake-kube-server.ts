/**
 * An in-process fake Kubernetes API server (node:http + ws on 127.0.0.1:0) that netbench's real
 * client code talks to over the wire: discovery, namespaces, pods, services, configmaps,
 * networkpolicies, nodes, daemonsets, events, server-side apply (Content-Type and field manager
 * checked), server-side dry run, watch (with 410), exec over WebSocket (v5.channel.k8s.io) and
 * the kubelet's resource metrics through the node proxy. Its pods "run" as local processes: an
 * exec of the agent runs netbench's bundled agent on this machine, on the pod's own loopback
 * address, so the JSON-lines protocol and the traffic are real. Faults are switched on per test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  createServer as createTcpServer,
  connect,
  type Server as TcpServer,
  type Socket,
} from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  fakeNodes,
  nodeObject,
  seedDaemonSets,
  seedPods,
  type FakeClusterOptions,
} from './fake-cluster.js';
import { matchesLabelSelector } from './selectors.js';

/** Faults a test switches on; each answers as a real API server would. */
export interface FakeFaults {
  /** Every request: 401 Unauthorized (expired credentials). */
  unauthorized?: boolean;
  /** 403 for this verb on this resource, e.g. { verb: 'patch', resource: 'pods' }. */
  forbid?: { verb: string; resource: string };
  /** Pods never pull their image (ImagePullBackOff). */
  imagePull?: boolean;
  /** Pods stay Pending with a FailedScheduling event. */
  neverReady?: boolean;
  /** A ResourceQuota refuses pods. */
  quota?: boolean;
  /** A validating webhook refuses pods. */
  admissionDeny?: boolean;
  /** Watches answer 410 Expired: 'once' then normally, or 'always'. */
  watchGone?: 'once' | 'always';
  /** Called when an exec of the agent starts (e.g. to abort the run mid-repetition). */
  onAgentExec?: (argv: readonly string[]) => void;
}

export interface FakeKubeServer {
  url: string;
  kubeconfigPath: string;
  faults: FakeFaults;
  /** Every request as "VERB path" (query stripped), for assertions. */
  requests: string[];
  /** Objects currently stored, as "plural/namespace/name". */
  objectKeys(): string[];
  /** Local processes still running for pods. */
  runningProcesses(): number;
  close(): Promise<void>;
}

export interface FakeKubeOptions extends FakeClusterOptions {
  /** Serve HTTPS with this key and certificate and require `Bearer <token>`. */
  tls?: { key: string; cert: string; token: string };
  /** Directory of the built agent bundle, mapped to the pods' /netbench/agent. */
  agentBundleDir: string;
}

interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
}
interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata: Meta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

const resources: {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}[] = [
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false },
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
  },
];

const shim = fileURLToPath(new URL('./pod-network-shim.mjs', import.meta.url));
const clockTicks = 100;

function status(code: number, reason: string, message: string): Obj & { code: number } {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: { name: '' },
    status: 'Failure',
    message,
    reason,
    code,
  } as unknown as Obj & { code: number };
}

export async function startFakeKubeServer(options: FakeKubeOptions): Promise<FakeKubeServer> {
  const faults: FakeFaults = {};
  const requests: string[] = [];
  const store = new Map<string, Obj>();
  const log: { rv: number; type: string; object: Obj }[] = [];
  const watchers = new Set<{ ns: string; selector: string | null; res: ServerResponse }>();
  const podProcesses = new Map<string, { container: string; child: ChildProcess }[]>();
  const exitedCpu = new Map<string, number>();
  const serviceProxies = new Map<string, TcpServer[]>();
  const sockets = new Set<Socket>();
  let rv = 1000;
  let podIps = 10;
  let clusterIps = 10;
  let watchGoneServed = false;

  const key = (plural: string, ns: string | undefined, name: string): string =>
    `${plural}/${ns ?? ''}/${name}`;
  const put = (plural: string, o: Obj, type: 'ADDED' | 'MODIFIED' | 'DELETED'): void => {
    rv += 1;
    o.metadata.resourceVersion = String(rv);
    const k = key(plural, o.metadata.namespace, o.metadata.name);
    if (type === 'DELETED') store.delete(k);
    else store.set(k, o);
    if (plural !== 'pods') return;
    const entry = { rv, type, object: structuredClone(o) };
    log.push(entry);
    for (const w of watchers) {
      if (w.ns === o.metadata.namespace && matchesLabelSelector(w.selector, o.metadata.labels))
        w.res.write(`${JSON.stringify({ type, object: entry.object })}\n`);
    }
  };
  for (const n of fakeNodes) put('nodes', nodeObject(n) as unknown as Obj, 'ADDED');
  for (const d of seedDaemonSets(options)) put('daemonsets', d as unknown as Obj, 'ADDED');
  for (const p of seedPods(options)) put('pods', p as unknown as Obj, 'ADDED');
  for (const ns of ['default', 'kube-system', 'istio-system'])
    put(
      'namespaces',
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } },
        status: { phase: 'Active' },
      },
      'ADDED',
    );
  put(
    'configmaps',
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-proxy', namespace: 'kube-system' },
      data: {
        'config.conf':
          'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: iptables\n',
      },
    },
    'ADDED',
  );

  const event = (ns: string, pod: string, reason: string, message: string): void => {
    const name = `${pod}.${rv}`;
    put(
      'events',
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: ns },
        involvedObject: { kind: 'Pod', name: pod, namespace: ns },
        reason,
        message,
        type: 'Warning',
      },
      'ADDED',
    );
  };

  const stopPod = (ns: string, name: string): void => {
    for (const p of podProcesses.get(`${ns}/${name}`) ?? []) p.child.kill('SIGKILL');
    podProcesses.delete(`${ns}/${name}`);
  };
  const refreshServices = (ns: string): void => {
    for (const [k, svc] of store) if (k.startsWith(`services/${ns}/`)) startServiceProxy(svc);
  };

  // A ClusterIP Service as kube-proxy would make it: connections to clusterIP:port reach a Ready endpoint.
  const startServiceProxy = (svc: Obj): void => {
    const k = key('services', svc.metadata.namespace, svc.metadata.name);
    if (serviceProxies.has(k)) return;
    const spec = svc.spec as {
      clusterIP: string;
      selector?: Record<string, string>;
      ports: { port: number; targetPort: number }[];
    };
    let next = 0;
    const servers = spec.ports.map((port) => {
      const server = createTcpServer((client) => {
        sockets.add(client);
        const endpoints = [...store.entries()]
          .filter(
            ([pk, p]) =>
              pk.startsWith(`pods/${svc.metadata.namespace}/`) &&
              Object.entries(spec.selector ?? {}).every(
                ([lk, lv]) => p.metadata.labels?.[lk] === lv,
              ),
          )
          .map(([, p]) => (p.status as { podIP?: string } | undefined)?.podIP)
          .filter((ip): ip is string => ip !== undefined);
        const ip = endpoints[next++ % Math.max(1, endpoints.length)];
        if (ip === undefined) return client.destroy();
        const upstream = connect(port.targetPort, ip);
        sockets.add(upstream);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      server.listen(port.port, spec.clusterIP);
      return server;
    });
    serviceProxies.set(k, servers);
  };

  const admitPod = (pod: Obj): void => {
    const spec = pod.spec as {
      containers: { name: string; image: string }[];
      nodeName?: string;
      hostNetwork?: boolean;
    };
    if (
      options.istio !== false &&
      pod.metadata.labels?.['sidecar.istio.io/inject'] === 'true' &&
      !spec.containers.some((c) => c.name === 'istio-proxy')
    ) {
      spec.containers.push({ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.1' });
    }
    pod.status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] };
  };
  const startPod = (pod: Obj): void => {
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name;
    const spec = pod.spec as {
      containers: { name: string; image: string }[];
      nodeName?: string;
      hostNetwork?: boolean;
    };
    const becomeReady = (): void => {
      const current = store.get(key('pods', ns, name));
      if (current === undefined) return;
      if (faults.imagePull === true) {
        current.status = {
          phase: 'Pending',
          containerStatuses: spec.containers.map((c) => ({
            name: c.name,
            image: c.image,
            ready: false,
            restartCount: 0,
            imageID: '',
            state: {
              waiting: {
                reason: 'ImagePullBackOff',
                message: `Back-off pulling image "${c.image}"`,
              },
            },
          })),
        };
        event(ns, name, 'Failed', `Failed to pull image "${spec.containers[0]?.image}": not found`);
        put('pods', current, 'MODIFIED');
        return;
      }
      // A watch that always expires: the pods stay Pending, so only the watch could tell.
      if (faults.watchGone === 'always') return;
      if (faults.neverReady === true) {
        event(ns, name, 'FailedScheduling', '0/3 nodes are available: 3 Insufficient cpu.');
        return;
      }
      const node = fakeNodes.find((n) => n.name === spec.nodeName);
      const ip = spec.hostNetwork === true ? (node?.ip ?? '127.0.2.9') : `127.0.1.${podIps++}`;
      current.status = {
        phase: 'Running',
        podIP: ip,
        hostIP: node?.ip,
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: spec.containers.map((c) => ({
          name: c.name,
          image: c.image,
          imageID: c.image,
          ready: true,
          restartCount: 0,
          state: { running: {} },
        })),
      };
      put('pods', current, 'MODIFIED');
      refreshServices(ns);
    };
    // A watch that expires once: the pods become Ready only after it did, so the relist is exercised.
    const whenWatched = (): void => {
      if (faults.watchGone === 'once' && !watchGoneServed) setTimeout(whenWatched, 20);
      else becomeReady();
    };
    setTimeout(whenWatched, 30);
  };

  const parseBody = async (req: IncomingMessage): Promise<string> => {
    let body = '';
    for await (const chunk of req) body += (chunk as Buffer).toString('utf8');
    return body;
  };
  const send = (
    res: ServerResponse,
    code: number,
    body: unknown,
    type = 'application/json',
  ): void => {
    res.writeHead(code, { 'content-type': type });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const fail = (res: ServerResponse, s: Obj & { code: number }): void => send(res, s.code, s);

  const resourceMetrics = (node: string): string => {
    const lines = [
      '# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds',
      '# TYPE container_cpu_usage_seconds_total counter',
    ];
    const memory: string[] = ['# TYPE container_memory_working_set_bytes gauge'];
    const now = Date.now();
    for (const [k, p] of store) {
      if (!k.startsWith('pods/')) continue;
      const spec = p.spec as { nodeName?: string; containers: { name: string }[] };
      if (spec.nodeName !== node) continue;
      for (const c of spec.containers) {
        const id = `${p.metadata.namespace}/${p.metadata.name}/${c.name}`;
        let cpu = exitedCpu.get(id) ?? 0;
        let rss = 0;
        for (const proc of podProcesses.get(`${p.metadata.namespace}/${p.metadata.name}`) ?? []) {
          if (proc.container !== c.name || proc.child.pid === undefined) continue;
          const usage = readProc(proc.child.pid);
          cpu += usage.cpuSeconds;
          rss += usage.rssBytes;
        }
        const labels = `container="${c.name}",namespace="${p.metadata.namespace}",pod="${p.metadata.name}"`;
        lines.push(`container_cpu_usage_seconds_total{${labels}} ${cpu} ${now}`);
        memory.push(`container_memory_working_set_bytes{${labels}} ${rss} ${now}`);
      }
    }
    return [...lines, ...memory, ''].join('\n');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/\/$/, '') || '/';
    requests.push(`${req.method} ${path}`);
    if (options.tls !== undefined && req.headers.authorization !== `Bearer ${options.tls.token}`) {
      return fail(res, status(401, 'Unauthorized', 'Unauthorized'));
    }
    if (faults.unauthorized === true) return fail(res, status(401, 'Unauthorized', 'Unauthorized'));
    if (path === '/version')
      return send(res, 200, {
        major: '1',
        minor: '31',
        gitVersion: 'v1.31.0',
        platform: 'linux/amd64',
      });
    if (path === '/api') return send(res, 200, { kind: 'APIVersions', versions: ['v1'] });
    const discovery = /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (discovery !== null) {
      const group = discovery[1] ?? '';
      return send(res, 200, {
        kind: 'APIResourceList',
        groupVersion: group === '' ? 'v1' : `${group}/${discovery[2]}`,
        resources: resources
          .filter((r) => r.group === group)
          .map((r) => ({
            name: r.plural,
            namespaced: r.namespaced,
            kind: r.kind,
            verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'],
          })),
      });
    }
    const proxy = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/(.*)$/.exec(path);
    if (proxy !== null) {
      if (faults.forbid?.resource === 'nodes/proxy')
        return fail(
          res,
          status(
            403,
            'Forbidden',
            `nodes "${proxy[1]}" is forbidden: User "netbench-test" cannot get resource "nodes/proxy" in API group "" at the cluster scope`,
          ),
        );
      if (decodeURIComponent(proxy[2]!) === 'metrics/resource')
        return send(res, 200, resourceMetrics(proxy[1]!), 'text/plain; version=0.0.4');
      return fail(res, status(404, 'NotFound', 'not found'));
    }
    const m =
      /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(
        path,
      );
    if (m === null)
      return fail(
        res,
        status(404, 'NotFound', `the server could not find the requested resource (${path})`),
      );
    const plural = m[2]!;
    let ns = m[1];
    let name = m[3];
    if (plural === 'namespaces' && ns !== undefined && name === undefined) {
      // /api/v1/namespaces/NAME
      name = ns;
      ns = undefined;
    }
    const watch = url.searchParams.get('watch') === 'true';
    const verb =
      req.method === 'PATCH'
        ? 'patch'
        : req.method === 'DELETE'
          ? 'delete'
          : name !== undefined
            ? 'get'
            : watch
              ? 'watch'
              : 'list';
    if (
      faults.forbid !== undefined &&
      faults.forbid.verb === verb &&
      faults.forbid.resource === plural
    ) {
      return fail(
        res,
        status(
          403,
          'Forbidden',
          `${plural} is forbidden: User "netbench-test" cannot ${verb} resource "${plural}" in API group ""${ns === undefined ? ' at the cluster scope' : ` in the namespace "${ns}"`}`,
        ),
      );
    }
    const selector = url.searchParams.get('labelSelector');
    if (req.method === 'GET' && name === undefined && watch) {
      if (faults.watchGone === 'always' || (faults.watchGone === 'once' && !watchGoneServed)) {
        watchGoneServed = true;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          `${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', 'too old resource version: 1 (2000)') })}\n`,
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      const from = Number(url.searchParams.get('resourceVersion') ?? '0');
      for (const e of log) {
        if (
          e.rv > from &&
          e.object.metadata.namespace === ns &&
          matchesLabelSelector(selector, e.object.metadata.labels)
        )
          res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
      }
      const w = { ns: ns ?? '', selector, res };
      watchers.add(w);
      req.on('close', () => watchers.delete(w));
      return;
    }
    if (req.method === 'GET' && name === undefined) {
      const items = [...store.entries()]
        .filter(
          ([k, o]) =>
            k.startsWith(`${plural}/`) &&
            (ns === undefined || o.metadata.namespace === ns) &&
            matchesLabelSelector(selector, o.metadata.labels),
        )
        .map(([, o]) => o);
      return send(res, 200, {
        kind: 'List',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(rv) },
        items,
      });
    }
    if (req.method === 'GET') {
      const o = store.get(key(plural, ns, name!));
      return o === undefined
        ? fail(res, status(404, 'NotFound', `${plural} "${name}" not found`))
        : send(res, 200, o);
    }
    if (req.method === 'DELETE') {
      const o = store.get(key(plural, ns, name!));
      if (o === undefined)
        return fail(res, status(404, 'NotFound', `${plural} "${name}" not found`));
      if (plural === 'namespaces') {
        o.status = { phase: 'Terminating' };
        o.metadata.deletionTimestamp = new Date().toISOString();
        put('namespaces', o, 'MODIFIED');
        setTimeout(() => {
          for (const [k, child] of [...store]) {
            if (child.metadata.namespace !== name) continue;
            const childPlural = k.split('/')[0]!;
            if (childPlural === 'pods') stopPod(name!, child.metadata.name);
            if (childPlural === 'services') for (const s of serviceProxies.get(k) ?? []) s.close();
            serviceProxies.delete(k);
            put(childPlural, child, 'DELETED');
          }
          put('namespaces', o, 'DELETED');
        }, 100);
        return send(res, 200, o);
      }
      if (plural === 'pods') stopPod(ns!, name!);
      if (plural === 'services') {
        for (const s of serviceProxies.get(key(plural, ns, name!)) ?? []) s.close();
        serviceProxies.delete(key(plural, ns, name!));
      }
      put(plural, o, 'DELETED');
      return send(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success', metadata: {} });
    }
    if (req.method === 'PATCH') {
      if (req.headers['content-type'] !== 'application/apply-patch+yaml') {
        return fail(
          res,
          status(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          ),
        );
      }
      if (url.searchParams.get('fieldManager') === null) {
        return fail(
          res,
          status(
            422,
            'Invalid',
            'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
          ),
        );
      }
      const body = JSON.parse(await parseBody(req)) as Obj;
      const dryRun = url.searchParams.get('dryRun') === 'All';
      if (ns !== undefined && store.get(key('namespaces', undefined, ns)) === undefined) {
        return fail(res, status(404, 'NotFound', `namespaces "${ns}" not found`));
      }
      if (
        ns !== undefined &&
        store.get(key('namespaces', undefined, ns))?.metadata.deletionTimestamp !== undefined
      ) {
        return fail(
          res,
          status(
            403,
            'Forbidden',
            `unable to create new content in namespace ${ns} because it is being terminated`,
          ),
        );
      }
      if (plural === 'pods' && faults.quota === true) {
        return fail(
          res,
          status(
            403,
            'Forbidden',
            `pods "${name}" is forbidden: exceeded quota: compute-resources, requested: pods=1, used: pods=10, limited: pods=10`,
          ),
        );
      }
      if (plural === 'pods' && faults.admissionDeny === true) {
        return fail(
          res,
          status(
            400,
            'BadRequest',
            `admission webhook "validate.kyverno.svc-fail" denied the request: policy Pod/${ns}/${name} for resource violation: require-run-as-nonroot`,
          ),
        );
      }
      const existing = store.get(key(plural, ns, name!));
      const merged: Obj = {
        ...(existing ?? {}),
        ...body,
        metadata: {
          ...(existing?.metadata ?? {}),
          ...body.metadata,
          uid: existing?.metadata.uid ?? randomUUID(),
          creationTimestamp: existing?.metadata.creationTimestamp ?? new Date().toISOString(),
        },
        ...(existing?.status === undefined ? {} : { status: existing.status }),
      };
      if (plural === 'namespaces') {
        merged.metadata.labels = {
          ...merged.metadata.labels,
          'kubernetes.io/metadata.name': name!,
        };
        merged.status = { phase: 'Active' };
      }
      if (plural === 'services' && existing === undefined)
        (merged.spec as Record<string, unknown>).clusterIP = `127.0.4.${clusterIps++}`;
      if (plural === 'pods' && existing === undefined) admitPod(merged);
      if (dryRun) return send(res, 200, merged);
      put(plural, merged, existing === undefined ? 'ADDED' : 'MODIFIED');
      if (plural === 'pods' && existing === undefined) startPod(merged);
      if (plural === 'services') startServiceProxy(merged);
      return send(res, 200, merged);
    }
    return fail(res, status(405, 'MethodNotAllowed', `${req.method} is not supported`));
  };

  // exec over WebSocket, v5.channel.k8s.io: stdin on channel 0 (255 0 closes it), stdout 1,
  // stderr 2, then the Status on channel 3.
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) =>
      protocols.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : false,
  });
  const onExec = (
    ws: WebSocket,
    ns: string,
    podName: string,
    container: string,
    argv: string[],
  ): void => {
    const pod = store.get(key('pods', ns, podName));
    const send = (channel: number, data: Buffer | string): void => {
      if (ws.readyState !== ws.OPEN) return;
      const b = typeof data === 'string' ? Buffer.from(data) : data;
      ws.send(Buffer.concat([Buffer.from([channel]), b]));
    };
    const finish = (code: number | null, message?: string): void => {
      const s =
        code === 0
          ? { metadata: {}, status: 'Success' }
          : {
              metadata: {},
              status: 'Failure',
              message: message ?? `command terminated with non-zero exit code`,
              reason: 'NonZeroExitCode',
              details: { causes: [{ reason: 'ExitCode', message: String(code ?? 137) }] },
            };
      send(3, JSON.stringify(s));
      ws.close();
    };
    if (pod === undefined) return finish(1, `pods "${podName}" not found`);
    const podIp = (pod.status as { podIP?: string } | undefined)?.podIP ?? '127.0.0.1';
    const local = localArgv(argv, options.agentBundleDir);
    if (argv.includes('agent')) faults.onAgentExec?.(argv);
    const child = spawn(local[0]!, local.slice(1), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NB_FAKE_POD_IP: podIp, NODE_OPTIONS: `--import ${shim}` },
    });
    const id = `${ns}/${podName}`;
    podProcesses.set(id, [...(podProcesses.get(id) ?? []), { container, child }]);
    let lastCpu = 0;
    const sampler = setInterval(() => {
      if (child.pid !== undefined) lastCpu = readProc(child.pid).cpuSeconds || lastCpu;
    }, 200);
    child.stdout.on('data', (b: Buffer) => send(1, b));
    child.stderr.on('data', (b: Buffer) => send(2, b));
    child.stdin.on('error', () => undefined);
    child.on('error', (e) => finish(127, e.message));
    child.on('close', (code) => {
      clearInterval(sampler);
      const cid = `${id}/${container}`;
      exitedCpu.set(cid, (exitedCpu.get(cid) ?? 0) + lastCpu);
      podProcesses.set(
        id,
        (podProcesses.get(id) ?? []).filter((p) => p.child !== child),
      );
      finish(code);
    });
    ws.on('message', (data: Buffer) => {
      if (data[0] === 0) child.stdin.write(data.subarray(1));
      if (data[0] === 255 && data[1] === 0) child.stdin.end();
    });
    // As a real kubelet: closing the exec stream does not kill the process.
    ws.on('close', () => child.stdin.end());
  };

  const server: Server =
    options.tls === undefined
      ? createHttpServer()
      : createHttpsServer({ key: options.tls.key, cert: options.tls.cert });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) =>
      send(res, 500, status(500, 'InternalError', (error as Error).message)),
    );
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    requests.push(`UPGRADE ${url.pathname}`);
    const authorized =
      options.tls === undefined || req.headers.authorization === `Bearer ${options.tls.token}`;
    const forbidden = faults.forbid?.resource === 'pods/exec';
    if (m === null || !authorized || faults.unauthorized === true || forbidden) {
      const code = m === null ? 404 : !authorized || faults.unauthorized === true ? 401 : 403;
      socket.end(
        `HTTP/1.1 ${code} ${code === 403 ? 'Forbidden' : code === 401 ? 'Unauthorized' : 'Not Found'}\r\ncontent-length: 0\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) =>
      onExec(
        ws,
        m[1]!,
        m[2]!,
        url.searchParams.get('container') ?? '',
        url.searchParams.getAll('command'),
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const scheme = options.tls === undefined ? 'http' : 'https';
  const url = `${scheme}://127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), 'nb-fake-kube-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(kubeconfigPath, fakeKubeconfig(url, options.tls));

  return {
    url,
    kubeconfigPath,
    faults,
    requests,
    objectKeys: () => [...store.keys()],
    runningProcesses: () => [...podProcesses.values()].reduce((n, l) => n + l.length, 0),
    async close() {
      for (const list of podProcesses.values()) for (const p of list) p.child.kill('SIGKILL');
      for (const list of serviceProxies.values()) for (const s of list) s.close();
      for (const w of watchers) w.res.end();
      for (const s of sockets) s.destroy();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The kubeconfig of the fake: plain http needs skipTLSVerify for client-node 1.4. */
export function fakeKubeconfig(url: string, tls?: { cert: string; token: string }): string {
  const cluster =
    tls === undefined
      ? '    insecure-skip-tls-verify: true'
      : `    certificate-authority-data: ${Buffer.from(tls.cert).toString('base64')}`;
  const user = tls === undefined ? '    token: fake-token' : `    token: ${tls.token}`;
  return `apiVersion: v1
kind: Config
current-context: kind-fake
clusters:
- name: kind-fake
  cluster:
    server: ${url}
${cluster}
contexts:
- name: kind-fake
  context:
    cluster: kind-fake
    user: fake-user
users:
- name: fake-user
  user:
${user}
`;
}

/** A pod's argv as this machine runs it: the pod's node and agent bundle are this machine's. */
function localArgv(argv: readonly string[], bundleDir: string): string[] {
  return argv.map((a, i) => {
    if (i === 0 && a === 'node') return process.execPath;
    if (a.startsWith('/netbench/agent/'))
      return join(bundleDir, a.slice('/netbench/agent/'.length));
    // The container's eth0 is this machine's loopback.
    if (a === '/sys/class/net/eth0/mtu') return '/sys/class/net/lo/mtu';
    return a;
  });
}

function readProc(pid: number): { cpuSeconds: number; rssBytes: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuSeconds: ticks / clockTicks, rssBytes: rssKb * 1024 };
  } catch {
    return { cpuSeconds: 0, rssBytes: 0 };
  }
}
