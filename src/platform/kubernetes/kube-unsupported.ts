/**
 * What a cluster cannot run as asked, decided before anything is created (pure). A cluster has
 * one pod datapath (its CNI's), one kube-proxy mode and one enforcer; netbench detects and
 * records them, it does not choose them.
 */
import type { TopologySpec } from '../../topology/topology-spec.js';
import { dimensions, type TrialDimensions } from '../../spec/dimensions.js';

/** Workloads that run Debian tools (sockperf, iperf3) in the pods. */
export const toolWorkloads: ReadonlySet<string> = new Set(['tcp-rr', 'tcp-stream', 'udp-stream']);

export interface KubernetesLimits {
  /** A tools image was given (--tools-image). */
  toolsImage: boolean;
}

export function kubernetesUnsupported(
  topology: TopologySpec,
  d: TrialDimensions | undefined,
  limits: KubernetesLimits,
): string | undefined {
  if (topology.nodes.length > 2) return 'netbench places pods on at most 2 cluster nodes';
  if (topology.datapath !== 'host' && topology.datapath !== dimensions.datapath.default) {
    return `datapath ${topology.datapath} is a lab model; on a cluster the pod datapath is its CNI's (detected and recorded): use datapath ${dimensions.datapath.default} for the cluster's pod network, or host for hostNetwork pods`;
  }
  if (topology.pods.some((p) => p.ip !== undefined)) {
    return 'a cluster assigns pod addresses itself; a requested pod IP cannot be honoured';
  }
  const services = topology.services;
  if (services !== undefined && services.unrelated > 0) {
    return 'unrelated Services (services > 0) are not built on the kubernetes platform yet';
  }
  if (services !== undefined && services.proxyMode !== dimensions.kubeProxy.default) {
    return `kubeProxy ${services.proxyMode}: the cluster's kube-proxy mode is detected, not chosen; leave kubeProxy at ${dimensions.kubeProxy.default}`;
  }
  if (topology.policy !== undefined && topology.policy.enforcer !== dimensions.enforcer.default) {
    return `enforcer ${topology.policy.enforcer}: on a cluster the CNI enforces NetworkPolicy; leave enforcer at ${dimensions.enforcer.default}`;
  }
  if (topology.mesh?.waypoint !== undefined) {
    return 'mesh node-proxy+waypoint (an Istio waypoint) is not built on the kubernetes platform yet';
  }
  if (topology.mesh !== undefined && topology.mesh.mtls === 'off') {
    return 'mtls off: the installed meshes encrypt between their proxies by default; measure mtls strict';
  }
  if (d === undefined) return undefined;
  if (d.pinning !== 'none') {
    return `pinning ${d.pinning}: CPU pinning on a cluster needs the kubelet's static CPU manager and Guaranteed pods, which netbench does not set up or verify yet`;
  }
  if (toolWorkloads.has(d.workload) && !limits.toolsImage) {
    return `workload ${d.workload} runs sockperf or iperf3 in the pods; give an image that has them (and ss) with --tools-image NAME@sha256:…`;
  }
  return undefined;
}
