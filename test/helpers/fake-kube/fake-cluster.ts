/** The cluster the fake API server pretends to be: a kind cluster with kindnet and kube-proxy. */
import type { V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';

export interface FakeClusterOptions {
  /** Istio installed (istiod pod; sidecars injected for `sidecar.istio.io/inject: "true"`). @default true */
  istio?: boolean;
  /** The CNI DaemonSet's name. @default kindnet */
  cniDaemonSet?: string;
}

export interface FakeNode {
  name: string;
  ip: string;
  taints?: { key: string; effect: string }[];
  zone: string;
}

export const fakeNodes: FakeNode[] = [
  {
    name: 'fake-control-plane',
    ip: '127.0.2.1',
    zone: 'zone-a',
    taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
  },
  { name: 'fake-worker', ip: '127.0.2.2', zone: 'zone-a' },
  { name: 'fake-worker2', ip: '127.0.2.3', zone: 'zone-a' },
];

export function nodeObject(n: FakeNode): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels: {
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': n.name,
        'topology.kubernetes.io/zone': n.zone,
      },
    },
    spec: {
      providerID: `kind://docker/fake/${n.name}`,
      ...(n.taints === undefined ? {} : { taints: n.taints }),
    },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: n.ip }],
      nodeInfo: {
        architecture: 'amd64',
        bootID: '',
        containerRuntimeVersion: 'containerd://1.7.18',
        kernelVersion: '6.1.0-fake',
        kubeProxyVersion: 'v1.31.0',
        kubeletVersion: 'v1.31.0',
        machineID: '',
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: '',
      },
    },
  };
}

function daemonSet(name: string, namespace: string, image: string): V1DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } },
    },
  };
}

export function seedDaemonSets(o: FakeClusterOptions): V1DaemonSet[] {
  const cni = o.cniDaemonSet ?? 'kindnet';
  return [
    daemonSet(cni, 'kube-system', `docker.io/kindest/${cni}:v20240813-c6f155d6`),
    daemonSet('kube-proxy', 'kube-system', 'registry.k8s.io/kube-proxy:v1.31.0'),
  ];
}

/** Pods of the seeded DaemonSets (one per node) and of the mesh control plane. */
export function seedPods(o: FakeClusterOptions): V1Pod[] {
  const pods: V1Pod[] = [];
  for (const ds of seedDaemonSets(o)) {
    for (const n of fakeNodes) {
      const name = ds.metadata?.name ?? '';
      pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${name}-${n.name.replace('fake-', '')}`,
          namespace: 'kube-system',
          labels: { app: name },
        },
        spec: {
          nodeName: n.name,
          hostNetwork: true,
          containers: [{ name, image: ds.spec?.template.spec?.containers[0]?.image ?? '' }],
        },
        status: { phase: 'Running', podIP: n.ip, conditions: [{ type: 'Ready', status: 'True' }] },
      });
    }
  }
  if (o.istio !== false) {
    pods.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'istiod-5d8c', namespace: 'istio-system', labels: { app: 'istiod' } },
      spec: {
        nodeName: 'fake-control-plane',
        containers: [{ name: 'discovery', image: 'docker.io/istio/pilot:1.24.1' }],
      },
      status: {
        phase: 'Running',
        podIP: '127.0.3.1',
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
  }
  return pods;
}
