/**
 * What cluster this is, decided from what the API server lists (pure): the flavour (from the
 * context name, API server URL, node labels and providerID), the CNI (from its agent
 * DaemonSet), kube-proxy's mode and the mesh. Every decision keeps its evidence.
 */
import type { V1DaemonSet } from '@kubernetes/client-node';
import type { ClusterFacts, ClusterFlavour } from '../../results/cluster-facts.js';
import type { V1Node, V1Pod } from './kube-types.js';

/** The CNI agents netbench recognises, by DaemonSet name. */
export const cniDaemonSets: Readonly<Record<string, { cni: string; enforcesPolicy: boolean }>> = {
  'calico-node': { cni: 'calico', enforcesPolicy: true },
  cilium: { cni: 'cilium', enforcesPolicy: true },
  'kube-flannel-ds': { cni: 'flannel', enforcesPolicy: false },
  'weave-net': { cni: 'weave', enforcesPolicy: true },
  'aws-node': { cni: 'aws-vpc-cni', enforcesPolicy: false },
  'antrea-agent': { cni: 'antrea', enforcesPolicy: true },
  'kube-router': { cni: 'kube-router', enforcesPolicy: true },
  // kindnet enforces NetworkPolicy since kind 0.24 (kube-network-policies inside kindnetd).
  kindnet: { cni: 'kindnet', enforcesPolicy: true },
  'ovnkube-node': { cni: 'ovn-kubernetes', enforcesPolicy: true },
};

export interface ClusterListing {
  context: string;
  server: string;
  version: string;
  nodes: V1Node[];
  daemonSets: V1DaemonSet[];
  /** kube-system/kube-proxy's `config.conf`, when readable. */
  kubeProxyConfig?: string;
  /** kube-system/cilium-config's data, when Cilium is the CNI. */
  ciliumConfig?: Record<string, string>;
  /** Pods of mesh control planes and node proxies (istiod, ztunnel, linkerd destination). */
  meshPods: V1Pod[];
}

function flavourOf(l: ClusterListing): { flavour: ClusterFlavour; evidence: string[] } {
  const labels = l.nodes.flatMap((n) => Object.keys(n.metadata?.labels ?? {}));
  const providers = l.nodes.map((n) => n.spec?.providerID ?? '');
  const kubelets = l.nodes.map((n) => n.status?.nodeInfo?.kubeletVersion ?? '');
  const rules: [ClusterFlavour, string | undefined][] = [
    [
      'kind',
      l.context.startsWith('kind-')
        ? `context ${l.context}`
        : providers.some((p) => p.startsWith('kind://'))
          ? 'providerID kind://'
          : undefined,
    ],
    [
      'minikube',
      l.context === 'minikube'
        ? 'context minikube'
        : labels.some((k) => k.startsWith('minikube.k8s.io/'))
          ? 'node label minikube.k8s.io/*'
          : undefined,
    ],
    ['k3s', kubelets.some((v) => v.includes('+k3s')) ? 'kubelet version +k3s' : undefined],
    [
      'openshift',
      labels.some((k) => k.startsWith('node.openshift.io/'))
        ? 'node label node.openshift.io/*'
        : undefined,
    ],
    [
      'eks',
      /\.eks\.amazonaws\.com/.test(l.server)
        ? 'API server *.eks.amazonaws.com'
        : labels.includes('eks.amazonaws.com/nodegroup')
          ? 'node label eks.amazonaws.com/nodegroup'
          : undefined,
    ],
    [
      'gke',
      labels.includes('cloud.google.com/gke-nodepool')
        ? 'node label cloud.google.com/gke-nodepool'
        : providers.some((p) => p.startsWith('gce://'))
          ? 'providerID gce://'
          : undefined,
    ],
    [
      'aks',
      labels.includes('kubernetes.azure.com/cluster')
        ? 'node label kubernetes.azure.com/cluster'
        : providers.some((p) => p.startsWith('azure://'))
          ? 'providerID azure://'
          : undefined,
    ],
  ];
  for (const [flavour, why] of rules) if (why !== undefined) return { flavour, evidence: [why] };
  return {
    flavour: 'unknown',
    evidence: ['no known context name, API server URL, node label or providerID'],
  };
}

function imageTag(image: string | undefined): string | undefined {
  const m = /:([^:@/]+)(@sha256:[0-9a-f]+)?$/.exec(image ?? '');
  return m?.[1];
}

function cniOf(l: ClusterListing): ClusterFacts['cni'] {
  for (const ds of l.daemonSets) {
    const known = cniDaemonSets[ds.metadata?.name ?? ''];
    if (known === undefined) continue;
    const version = imageTag(ds.spec?.template.spec?.containers[0]?.image);
    const containers = ds.spec?.template.spec?.containers.map((c) => c.name) ?? [];
    const cilium = l.ciliumConfig;
    const mode =
      known.cni === 'cilium' && cilium !== undefined
        ? `routing-mode ${cilium['routing-mode'] ?? (cilium.tunnel === 'disabled' ? 'native' : 'tunnel')}, tunnel ${cilium['tunnel-protocol'] ?? cilium.tunnel ?? 'vxlan'}`
        : undefined;
    return {
      name: known.cni,
      daemonSet: ds.metadata?.name ?? '',
      ...(ds.metadata?.namespace === undefined ? {} : { namespace: ds.metadata.namespace }),
      ...(version === undefined ? {} : { version }),
      ...(mode === undefined ? {} : { mode }),
      // The AWS VPC CNI enforces policy only with its network policy agent container.
      enforcesPolicy: known.enforcesPolicy || containers.includes('aws-network-policy-agent'),
    };
  }
  return { name: 'unknown', enforcesPolicy: false };
}

function kubeProxyOf(l: ClusterListing): string {
  const hasKubeProxy = l.daemonSets.some((d) => d.metadata?.name === 'kube-proxy');
  const replacement = l.ciliumConfig?.['kube-proxy-replacement'];
  if (!hasKubeProxy && (replacement === 'true' || replacement === 'strict'))
    return 'replaced (cilium)';
  if (!hasKubeProxy) return 'none found';
  if (l.kubeProxyConfig === undefined) return 'unknown';
  const m = /^\s*mode:\s*"?([a-z]*)"?\s*$/m.exec(l.kubeProxyConfig);
  return m?.[1] === undefined || m[1] === '' ? 'iptables' : m[1];
}

function meshOf(l: ClusterListing): ClusterFacts['mesh'] {
  const labelled = (key: string, value: string): V1Pod | undefined =>
    l.meshPods.find((p) => p.metadata?.labels?.[key] === value);
  const istiod = labelled('app', 'istiod');
  const ztunnel = labelled('app', 'ztunnel');
  if (istiod !== undefined || ztunnel !== undefined) {
    const version = imageTag((istiod ?? ztunnel)?.spec?.containers[0]?.image);
    return {
      name: 'istio',
      ...(version === undefined ? {} : { version }),
      ambient: ztunnel !== undefined,
    };
  }
  const linkerd = labelled('linkerd.io/control-plane-component', 'destination');
  if (linkerd !== undefined) {
    const version = imageTag(linkerd.spec?.containers[0]?.image);
    return { name: 'linkerd', ...(version === undefined ? {} : { version }), ambient: false };
  }
  return undefined;
}

/** The cluster's facts, without nodes (placement adds the nodes the run uses). */
export function detectCluster(l: ClusterListing): Omit<ClusterFacts, 'nodes' | 'missingReadings'> {
  const { flavour, evidence } = flavourOf(l);
  const cni = cniOf(l);
  const mesh = meshOf(l);
  const warnings: string[] = [];
  if (cni.name === 'weave')
    warnings.push(
      'Weave Net is archived (no releases since 2022); its figures describe an unmaintained datapath',
    );
  if (cni.name === 'unknown')
    warnings.push(
      `no known CNI DaemonSet found (${Object.keys(cniDaemonSets).join(', ')}); the pod datapath is recorded as unknown`,
    );
  if (!cni.enforcesPolicy && cni.name !== 'unknown')
    warnings.push(`${cni.name} does not enforce NetworkPolicy: policy trials are refused`);
  return {
    flavour,
    evidence,
    version: l.version,
    server: l.server,
    context: l.context,
    cni,
    kubeProxy: kubeProxyOf(l),
    ...(mesh === undefined ? {} : { mesh }),
    warnings,
  };
}
