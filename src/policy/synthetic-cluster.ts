/**
 * A synthetic cluster of any size, as kubectl would dump it (Namespace, Pod and NetworkPolicy
 * objects in one `List`), pure and deterministic: the input of `npm run bench:policy`.
 *
 * Shaped like the clusters the evaluator is for: 10 namespaces labelled by team and env; pods
 * from Deployments (labels app, tier and the ReplicaSet's pod-template-hash, a container port
 * named http on 8080, metrics on 9090), about 5 per app; a default-deny in every namespace;
 * and per app a few policies admitting namespaces by label and tiers by matchExpressions on
 * named and numbered ports, every 10th with an ipBlock (with except), every 7th a port range,
 * every 4th isolating egress too (DNS and the app's own namespace).
 */

/** Sizes of a synthetic cluster. */
export interface SyntheticClusterOptions {
  pods: number;
  policies: number;
  /** @default 10 */
  namespaces?: number;
}

const tiers = ['web', 'api', 'db'] as const;
const teams = ['red', 'green', 'blue'] as const;

function address(i: number): string {
  return `10.${64 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
}

/** Apps per namespace so that each app runs about 5 pods. */
function appsPerNamespace(o: SyntheticClusterOptions, namespaces: number): number {
  return Math.max(1, Math.round(o.pods / namespaces / 5));
}

function pod(i: number, namespaces: number, apps: number): Record<string, unknown> {
  const ns = i % namespaces;
  const app = Math.floor(i / namespaces) % apps;
  const tier = tiers[app % tiers.length]!;
  const ports: Record<string, unknown>[] = [{ name: 'http', containerPort: 8080, protocol: 'TCP' }];
  if (tier === 'api') ports.push({ name: 'metrics', containerPort: 9090, protocol: 'TCP' });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `app${app}-${i.toString(36)}`,
      namespace: `ns${ns}`,
      labels: { app: `app${app}`, tier, 'pod-template-hash': `h${app}` },
    },
    spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10', ports }] },
    status: { phase: 'Running', podIP: address(i), podIPs: [{ ip: address(i) }] },
  };
}

function policy(j: number, namespaces: number, apps: number): Record<string, unknown> {
  const ns = j % namespaces;
  const meta = { name: `p${j}`, namespace: `ns${ns}` };
  if (j < namespaces) {
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { ...meta, name: 'default-deny' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    };
  }
  const app = Math.floor(j / namespaces) % apps;
  const from: Record<string, unknown>[] = [
    {
      namespaceSelector: { matchLabels: { team: teams[j % teams.length] } },
      podSelector: {
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['web', 'api'] },
          { key: 'app', operator: 'NotIn', values: [`app${(app + 1) % apps}`] },
        ],
      },
    },
  ];
  if (j % 10 === 0) {
    from.push({ ipBlock: { cidr: '10.64.0.0/16', except: [`10.64.${j % 4}.0/24`] } });
  }
  const ports: Record<string, unknown>[] =
    j % 7 === 0 ? [{ port: 8000, endPort: 8100 }] : [{ port: 'http' }, { port: 9090 }];
  const spec: Record<string, unknown> = {
    podSelector: { matchLabels: { app: `app${app}` } },
    ingress: [{ from, ports }],
  };
  if (j % 4 === 0) {
    spec.policyTypes = ['Ingress', 'Egress'];
    spec.egress = [
      { ports: [{ port: 53, protocol: 'UDP' }] },
      {
        to: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } }],
        ports: [{ port: 'http' }],
      },
    ];
  }
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta, spec };
}

/** The cluster as one kubectl `List`. */
export function syntheticCluster(o: SyntheticClusterOptions): Record<string, unknown> {
  const namespaces = o.namespaces ?? 10;
  const apps = appsPerNamespace(o, namespaces);
  const items: Record<string, unknown>[] = [];
  for (let n = 0; n < namespaces; n++) {
    items.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: `ns${n}`,
        labels: { team: teams[n % teams.length], env: n % 2 === 0 ? 'prod' : 'dev' },
      },
    });
  }
  for (let i = 0; i < o.pods; i++) items.push(pod(i, namespaces, apps));
  for (let j = 0; j < o.policies; j++) items.push(policy(j, namespaces, apps));
  return { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
}
