/**
 * What a trial asks a platform to deploy: nodes, pods on them, Services, the NetworkPolicy set
 * and the service mesh. Plain data, built by matrix/ from a trial's dimensions, planned by mesh/
 * and deployed by every platform; two equal topologies can share one environment.
 */
import type { PolicySetSpec } from '../policy/policy-set.js';
import type { ServicePort } from '../results/facts.js';
import type { DatapathName, KubeProxyMode } from '../spec/dimensions.js';
import type { MeshSpec } from './mesh-spec.js';

export interface NodeSpec {
  /** Short name, unique in the topology, e.g. `node1`. */
  name: string;
}

export interface PodSpec {
  /** Short name, unique in the topology, e.g. `client`. */
  name: string;
  /** The node the pod is scheduled on. */
  node: string;
  /**
   * An address asked for (e.g. a policy model's pod IP); the platform places the pod there or
   * says why not in `unsupported`. Absent: the platform picks.
   */
  ip?: string;
  /** Service account, the pod's mesh identity. @default the pod name */
  serviceAccount?: string;
  /**
   * This pod is a replica of another (as pods of one Deployment): whatever is started in that
   * pod is started here too, so a Service can spread requests over both.
   */
  replicaOf?: string;
}

/** One port of a Service: clients connect to `port` on the ClusterIP, pods listen on `targetPort`. */
export type ServicePortSpec = ServicePort;

/** ClusterIP Services, programmed on every node by a kube-proxy model. */
export interface ServicesSpec {
  /** How the rules are programmed: iptables, nftables (kube-proxy modes) or eBPF maps. */
  proxyMode: KubeProxyMode;
  /**
   * Unrelated Services programmed alongside (each with two endpoints no pod holds), so the rule
   * set is as large as a cluster's. @default 0
   */
  unrelated: number;
  /** The Service clients reach the server through (placement via-service). */
  target?: {
    name: string;
    ports: ServicePortSpec[];
    /** The pods behind it (the server and its replicas). */
    endpoints: string[];
  };
}

/** What one trial needs deployed. Two equal topologies can share one environment. */
export interface TopologySpec {
  datapath: DatapathName;
  nodes: NodeSpec[];
  pods: PodSpec[];
  /** ClusterIP Services and the kube-proxy model that programs them. */
  services?: ServicesSpec;
  /** Ingress and egress limit of every pod, bits/s (CNI bandwidth plugin). */
  podBandwidthBps?: number;
  /** NetworkPolicies to enforce between the pods (absent: none, every connection allowed). */
  policy?: PolicySetSpec;
  /** A service mesh over the pods (absent: no mesh). */
  mesh?: MeshSpec;
}
