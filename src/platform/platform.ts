/**
 * The platform port: where pods run. The lab (network namespaces) implements it today; a
 * Kubernetes backend implements the same interface (pods on named nodes, exec in a pod, per-pod
 * readings), so the runner and workloads never know which one they talk to.
 */
import type { CommandResult, RunningProcess } from '../core/process-runner.js';
import type { Milliseconds } from '../core/units.js';
import type { PolicyFacts, PolicySetSpec } from '../policy/policy-set.js';
import type { MeshFacts } from '../mesh/mesh-facts.js';
import type { MeshSpec } from '../mesh/mesh-spec.js';
import type { ClusterFacts, KubernetesEnvironmentFacts } from '../results/cluster-facts.js';
import type { DatapathName, KubeProxyMode, TrialDimensions } from '../spec/dimensions.js';

export type PlatformName = 'lab' | 'kubernetes';

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
export interface ServicePortSpec {
  port: number;
  targetPort: number;
}

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

/**
 * What a pod runs. `agent` is netbench's own workload binary (`netbench agent …`), which each
 * platform knows how to start in a pod (lab: `ip netns exec`; Kubernetes: exec in the
 * netbench container). `program` is any other binary expected in the pod's image or on the host.
 */
export type PodCommand = (
  { kind: 'agent'; args: readonly string[] } | { kind: 'program'; argv: readonly string[] }
) & {
  /**
   * Pin the command to these CPUs (lab: taskset). A Kubernetes backend honours it only with the
   * static CPU manager and a guaranteed pod; otherwise it must refuse rather than ignore it.
   */
  cpus?: readonly number[];
};

export interface PodExecOptions {
  timeoutMs?: Milliseconds;
  signal?: AbortSignal;
  allowFailure?: boolean;
}

/** A route as the node's kernel has it, with where it came from. */
export interface RouteFact {
  node: string;
  destination: string;
  via?: string;
  device: string;
  /**
   * static: configured by netbench; kernel: connected subnet; bgp: learned by the BGP daemon;
   * other values: the kernel's protocol name as read.
   */
  origin: string;
  /** The kernel's `proto` of the route as read back (`static`, `kernel`, `bird`, …). */
  protocol?: string;
}

/** One CNI-wired pod: what ADD returned, read from the plugin's result. */
export interface CniPodFact {
  pod: string;
  node: string;
  /** Address from the IPAM plugin's result. */
  ip: string;
  /** Host-side interface the plugin created (in the node's namespace). */
  hostInterface: string;
  /** Wall time of the whole ADD chain for this pod. */
  addMs: Milliseconds;
  /** CHECK (with prevResult) passed after ADD. */
  checked: boolean;
}

/** How the pods were wired by the real CNI reference plugins. */
export interface CniFacts {
  cniVersion: string;
  /** The plugin chain in order, e.g. ["bridge", "bandwidth", "loopback"]. */
  plugins: string[];
  ipam: string;
  /** Directory the plugin binaries were run from. */
  binDir: string;
  pods: CniPodFact[];
}

/** One BGP session as the daemon reported it once the lab was up. */
export interface BgpSessionFact {
  node: string;
  peer: string;
  /** BIRD's BGP state: Established when routes flow. */
  state: string;
}

/** The BGP control plane of the routed-bgp datapath. */
export interface BgpFacts {
  daemon: string;
  asn: number;
  sessions: BgpSessionFact[];
  /** Routes the kernels got from the daemon (proto bird), over all nodes. */
  routesLearned: number;
  /** From starting the daemons until every session was Established and every route installed. */
  convergenceMs: Milliseconds;
}

/** The eBPF programs of the ebpf datapath, as attached. */
export interface EbpfFacts {
  /** The compiled object the programs came from. */
  object: string;
  attachments: { node: string; device: string; program: string }[];
  /** Pods in the endpoint maps, over all nodes. */
  endpoints: number;
  /**
   * Counters read after a probe packet crossed the lab at setup: proof that the programs, not
   * the kernel's routing, forwarded it.
   */
  probe: { redirectPeer: number; redirectNeigh: number; passedToStack: number };
  loadMs: Milliseconds;
}

/** Service programming on one node. */
export interface ServiceNodeFact {
  node: string;
  /** Wall time of the batch load (iptables-restore, nft -f, bpftool batch). */
  programmingMs: Milliseconds;
  /** Rules read back from the kernel (iptables: rules in the KUBE chains; nftables: rules in the table). */
  rules: number;
  /** Chains read back (iptables, nftables) or 0 (ebpf). */
  chains: number;
  /** Verdict-map elements (nftables) or service map entries (ebpf); 0 for iptables. */
  mapElements: number;
}

/** ClusterIP Services as programmed. */
export interface ServicesFacts {
  proxyMode: KubeProxyMode;
  /** Tool and backend, e.g. "iptables v1.8.9 (nf_tables)". */
  backend: string;
  /** Services programmed in total (the target, if any, plus the unrelated ones). */
  services: number;
  endpoints: number;
  target?: { name: string; clusterIp: string; ports: ServicePortSpec[]; endpoints: string[] };
  nodes: ServiceNodeFact[];
}

/** What the datapath really was, recorded in every trial of results.json. */
export interface DatapathFacts {
  datapath: DatapathName;
  /** The real-world CNI this lab model stands for. */
  models: string;
  /** What the model leaves out compared with that CNI. */
  leavesOut?: string;
  /** MTU of the interface the client sends on towards the server, read back from the kernel. */
  podMtu: number;
  /** MTU of the underlay between nodes. */
  underlayMtu?: number;
  encapsulation: 'none' | 'vxlan';
  routes: RouteFact[];
  /** Wall time to build nodes, pods and datapath. */
  setupMs: Milliseconds;
  /** Pod wiring by the CNI reference plugins (absent for host network). */
  cni?: CniFacts;
  bgp?: BgpFacts;
  ebpf?: EbpfFacts;
}

/**
 * Everything known about a deployed environment: the datapath, plus one optional section per
 * feature (services, policy, mesh) added by the features that applied.
 */
export interface EnvironmentFacts extends DatapathFacts {
  services?: ServicesFacts;
  policy?: PolicyFacts;
  mesh?: MeshFacts;
  /** Kubernetes platform: namespace, pods, node and address of each. */
  kubernetes?: KubernetesEnvironmentFacts;
}

/** Where a client connects to reach a server. */
export interface TargetAddress {
  host: string;
  port: number;
}

/** One process as a resource reading sees it (when the platform can see processes). */
export interface ProcessReading {
  pid: number;
  /** Start time in clock ticks since boot: with pid, identifies the process across readings. */
  startTicks: number;
  command: string;
  /** Cumulative user+system CPU of the process (all threads). */
  cpuSeconds: number;
  rssBytes: number;
}

/**
 * Cumulative CPU and current memory of one group of processes: a pod, or a node-level daemon.
 * Lab: /proc of the processes in the pod's network namespace. Kubernetes: the pod's cgroup
 * (cpu.stat usage_usec, memory.current, memory.peak) or the kubelet's /stats/summary.
 */
export interface ResourceGroupReading {
  scope: 'pod' | 'node';
  /** Pod name, or the daemon's name for node-level daemons. */
  name: string;
  node: string;
  /** client, server, daemon, proxy… */
  role: string;
  /** Cumulative CPU seconds of the group (monotonic as far as the platform can tell). */
  cpuSeconds: number;
  /** Resident memory now (lab: sum of the processes' RSS; Kubernetes: the working set). */
  rssBytes: number;
  /** Per-process detail, when the platform sees processes (lab). */
  processes?: ProcessReading[];
}

/**
 * Name of the machine-level group (scope node, role steal) whose cpuSeconds is CPU time the
 * hypervisor gave other guests while this machine had work (/proc/stat steal); platforms that
 * can read it report it, so a repetition measured under a noisy neighbour can say so.
 */
export const hypervisorStealGroup = 'hypervisor-steal';

export interface ResourceReading {
  /** Monotonic milliseconds of the reading. */
  atMs: Milliseconds;
  groups: ResourceGroupReading[];
}

export interface Environment {
  readonly topology: TopologySpec;
  readonly facts: EnvironmentFacts;
  /** The IP address other pods reach this pod at. */
  podAddress(pod: string): string;
  /**
   * Where a client connects to reach the server listening on `port` in `pod`: the pod's own
   * address, or a Service's ClusterIP and port when the topology puts one in front of the pod.
   */
  targetAddress(pod: string, port: number): TargetAddress;
  /** Runs a command in a pod to completion. */
  exec(pod: string, command: PodCommand, options?: PodExecOptions): Promise<CommandResult>;
  /**
   * Starts a long-running command in a pod; stopped by the caller or at teardown. A pod with
   * replicas (PodSpec.replicaOf) runs it in every replica too; netbench agents are waited for
   * until each replica has reported ready.
   */
  start(
    pod: string,
    command: PodCommand,
    options?: { signal?: AbortSignal },
  ): Promise<RunningProcess>;
  /**
   * Reads CPU and memory of every pod and node-level daemon now. Cheap enough to call every
   * second during a measured window; the caller turns two readings into usage over the window.
   */
  readResources(): Promise<ResourceReading>;
  /** Removes everything this environment created. Safe to call twice. */
  teardown(): Promise<void>;
}

export interface Platform {
  readonly name: PlatformName;
  /**
   * Checks, before anything is created, that this platform can run here at all (privileges,
   * tools). Throws a NetbenchError with a hint.
   */
  preflight(): Promise<void>;
  /**
   * Why this platform cannot deploy `topology` (or run the trial's `dimensions` on it, e.g. a
   * workload whose tools its pods lack), or undefined when it can. Pure, no effects.
   */
  unsupported(topology: TopologySpec, dimensions?: TrialDimensions): string | undefined;
  /**
   * What the platform knows about where it runs beyond this machine (a cluster's flavour, CNI,
   * mesh, nodes), recorded in results.json's `environment.cluster`. Called after `preflight`.
   */
  describe?(signal?: AbortSignal): Promise<ClusterFacts>;
  deploy(topology: TopologySpec, signal?: AbortSignal): Promise<Environment>;
  /** Removes everything the platform still holds for this run (called once at the end). */
  close(): Promise<void>;
}
