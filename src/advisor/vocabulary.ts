/**
 * The advisor's words, each list written once: the decisions it makes, the choices each decision
 * can take, and how sure it is. The JSON output (`netbench advise --json`), the requirements
 * schema, the rules and the docs all read these lists.
 */

/** The decisions a platform team came for, in the order they constrain each other. */
export const decisionNames = ['cni', 'mesh', 'kubeProxy', 'observability'] as const;
export type Decision = (typeof decisionNames)[number];

/** CNI choices. `keep-current` keeps `cluster.current.cni` as it is. */
export const cniChoices = ['cilium', 'calico', 'calico-ebpf', 'flannel', 'keep-current'] as const;
export type CniChoice = (typeof cniChoices)[number];

/** Service-mesh choices. */
export const meshChoices = [
  'none',
  'cilium-mesh',
  'istio-ambient',
  'istio-sidecar',
  'linkerd',
] as const;
export type MeshChoice = (typeof meshChoices)[number];

/** Service load balancing: kube-proxy's iptables or nftables mode, or an eBPF replacement. */
export const kubeProxyChoices = ['iptables', 'nftables', 'ebpf'] as const;
export type KubeProxyChoice = (typeof kubeProxyChoices)[number];

/**
 * Network observability: Hubble flows (Cilium) into Prometheus and Grafana, Microsoft Retina (the
 * Hubble interface on any CNI), or plain Prometheus and Grafana from node and application metrics.
 */
export const observabilityChoices = ['hubble', 'retina', 'prometheus-grafana'] as const;
export type ObservabilityChoice = (typeof observabilityChoices)[number];

/** What each decision can be. */
export interface ChoiceOf {
  cni: CniChoice;
  mesh: MeshChoice;
  kubeProxy: KubeProxyChoice;
  observability: ObservabilityChoice;
}

/**
 * How sure the advice is. `high`: a stated need decides it and no measurement disagrees;
 * `medium`: a published default with nothing measured against it, or measurements that only
 * partly bear on it; `low`: measurements contradict the default, or a budget is at its limit.
 */
export const confidenceLevels = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof confidenceLevels)[number];

/** CNIs a cluster may run today (`cluster.current.cni`); weave is accepted so it can be warned about. */
export const currentCniNames = [
  'cilium',
  'calico',
  'calico-ebpf',
  'flannel',
  'weave',
  'other',
] as const;
export type CurrentCni = (typeof currentCniNames)[number];

/** Ingress controllers a cluster may run today (`cluster.current.ingress`). */
export const currentIngressNames = ['none', 'ingress-nginx', 'gateway-api', 'other'] as const;
