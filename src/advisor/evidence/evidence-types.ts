/** The shapes of the evidence the advisor reads (see evidence.ts). */
import type { MeshMode } from '../../topology/mesh-spec.js';
import type { Verdict } from '../../stats/estimate.js';

/** A measured figure with its confidence interval (bounds undefined when none can be given). */
export interface Figure {
  value: number;
  low: number | undefined;
  high: number | undefined;
  /** Valid repetitions it comes from. */
  repetitions: number;
}

/** A difference between two trials: relative (0.12 = +12 %) with its interval and verdict. */
export interface RelativeChange {
  value: number;
  low: number | undefined;
  high: number | undefined;
  verdict: Verdict;
}

/** One run given as evidence. */
export interface RunInfo {
  runId: string;
  name: string;
  /** lab or kubernetes: lab figures model architectures, not products. */
  platform: string;
  repetitions: { valid: number; total: number };
}

/** What a mesh mode added over the same cell without a mesh. */
export interface MeshOverhead {
  runId: string;
  trialId: string;
  baselineTrialId: string;
  meshMode: MeshMode;
  mtls: string | undefined;
  placement: string | undefined;
  /** The requested open-loop rate of the trial, requests/s. */
  rateRps: number | undefined;
  proxyTraversals: number;
  /** p99 of the mesh trial minus p99 of the baseline, µs; the interval is the relative one's, scaled. */
  p99AddedUs: Figure;
  p50AddedUs: Figure | undefined;
  p99Relative: RelativeChange;
}

/** What a mesh mode's proxies cost in one trial. */
export interface ProxyCost {
  runId: string;
  trialId: string;
  meshMode: MeshMode;
  placement: string | undefined;
  rateRps: number | undefined;
  /** CPU of all proxies on the request path, ms per 1 000 completed requests. */
  cpuMsPer1kRequests: Figure;
  /** Resident memory per proxy instance, by role (sidecar, node-proxy, waypoint). */
  rssBytesPerProxy: Partial<Record<'sidecar' | 'node-proxy' | 'waypoint', Figure>>;
}

/** kube-proxy's nftables mode against its iptables mode, new connections, N Services. */
export interface KubeProxyComparison {
  runId: string;
  services: number;
  iptablesTrialId: string;
  nftablesTrialId: string;
  /** What opened a connection per request: `http1-close` or `tcp-crr`. */
  workload: string;
  iptablesP50Us: Figure;
  nftablesP50Us: Figure;
  /** nftables relative to iptables at p50 (negative: nftables is faster). */
  p50Change: RelativeChange;
  p99Change: RelativeChange | undefined;
}

/** Latency of one datapath model (no mesh, no Service, no policy). */
export interface DatapathLatency {
  runId: string;
  trialId: string;
  datapath: string;
  placement: string | undefined;
  rateRps: number | undefined;
  p50Us: Figure;
  p99Us: Figure;
}

export interface Evidence {
  runs: RunInfo[];
  meshOverheads: MeshOverhead[];
  proxyCosts: ProxyCost[];
  kubeProxy: KubeProxyComparison[];
  datapaths: DatapathLatency[];
}
