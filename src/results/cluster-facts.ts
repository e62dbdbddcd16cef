/**
 * What netbench learned about a Kubernetes cluster it ran on (results.json
 * `environment.cluster`), and where each trial's pods really were (`trials[].datapath.kubernetes`).
 * Declared once as zod schemas; the types are derived.
 */
import { z } from 'zod';

export const clusterFlavours = [
  'kind',
  'minikube',
  'k3s',
  'eks',
  'gke',
  'aks',
  'openshift',
  'unknown',
] as const;

/** One node the run used, as the API server describes it. */
export const clusterNodeFactsSchema = z.object({
  /** The topology's node (`node1`) and the cluster node it was mapped to. */
  role: z.string(),
  name: z.string(),
  zone: z.string().optional(),
  instanceType: z.string().optional(),
  kernel: z.string(),
  kubelet: z.string(),
  containerRuntime: z.string(),
  os: z.string(),
  providerId: z.string().optional(),
});

export const clusterFactsSchema = z.object({
  /** How the flavour was recognised is in `evidence`. */
  flavour: z.enum(clusterFlavours),
  evidence: z.array(z.string()),
  /** The API server's gitVersion, e.g. v1.31.2. */
  version: z.string(),
  server: z.string(),
  context: z.string(),
  /** The CNI, from the DaemonSets in kube-system (and others): calico, cilium, flannel… */
  cni: z.object({
    name: z.string(),
    daemonSet: z.string().optional(),
    namespace: z.string().optional(),
    version: z.string().optional(),
    /** Cilium: routing-mode / tunnel-protocol from cilium-config. */
    mode: z.string().optional(),
    /** Whether this CNI enforces NetworkPolicy. */
    enforcesPolicy: z.boolean(),
  }),
  /** iptables, ipvs, nftables (kube-proxy's ConfigMap), replaced (Cilium), or unknown. */
  kubeProxy: z.string(),
  mesh: z
    .object({ name: z.string(), version: z.string().optional(), ambient: z.boolean() })
    .optional(),
  nodes: z.array(clusterNodeFactsSchema),
  warnings: z.array(z.string()),
  /** Readings that could not be taken, with why (a permission missing…). */
  missingReadings: z.array(z.string()),
});

/** One pod of a trial on the cluster. */
export const kubernetesPodFactsSchema = z.object({
  pod: z.string(),
  name: z.string(),
  node: z.string(),
  ip: z.string(),
  hostNetwork: z.boolean(),
  /** Containers as the API server has them after admission (injected proxies included). */
  containers: z.array(z.string()),
  /** The mesh proxy read back from the pod (istio-proxy, linkerd-proxy, ztunnel), if any. */
  meshProxy: z.string().optional(),
});

export const kubernetesEnvironmentFactsSchema = z.object({
  namespace: z.string(),
  pods: z.array(kubernetesPodFactsSchema),
  service: z.object({ name: z.string(), clusterIp: z.string() }).optional(),
  networkPolicies: z.array(z.string()),
  /** From the first apply until every pod was Ready. */
  readyMs: z.number(),
});

export type ClusterFlavour = (typeof clusterFlavours)[number];
export type ClusterNodeFacts = z.infer<typeof clusterNodeFactsSchema>;
export type ClusterFacts = z.infer<typeof clusterFactsSchema>;
export type KubernetesPodFacts = z.infer<typeof kubernetesPodFactsSchema>;
export type KubernetesEnvironmentFacts = z.infer<typeof kubernetesEnvironmentFactsSchema>;
