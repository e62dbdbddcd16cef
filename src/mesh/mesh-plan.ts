/**
 * From a topology's mesh section to what must be deployed (pure): identities to issue, the
 * interception rules of each captured pod, and every proxy with its configuration. The lab
 * feature executes the plan; unit tests read it.
 */
import type { TopologySpec } from '../topology/topology-spec.js';
import type { MeshProxyRole } from '../results/facts.js';
import { join } from 'node:path';
import {
  nodeProxyConfig,
  sidecarConfig,
  waypointConfig,
  type MeshEndpoint,
  type MeshRoute,
} from './haproxy-config.js';
import { serviceAccountOf, spiffeId } from './identity.js';
import { interceptionRules, meshPorts } from './interception.js';
import type { MeshMode, MeshSpec } from '../topology/mesh-spec.js';

/** What each lab mesh model stands for and what it leaves out (recorded in results). */
export const meshModels = {
  sidecar: {
    models:
      'Istio sidecar mode (an Envoy in every pod, istio-init REDIRECT, mTLS between sidecars); Linkerd has the same shape',
    leavesOut:
      'Envoy or linkerd2-proxy themselves (HAProxy 2.6 plays the L7 proxy), istiod and xDS (configs are written once), telemetry, retries and HTTP/2 upgrade between sidecars',
    interception:
      'nftables REDIRECT in the pod (outbound to 15001, inbound to 15006); the sidecar runs as uid 1337, which the rules exclude',
  },
  'node-proxy': {
    models:
      'Istio ambient mode, L4 only: one ztunnel per node with in-pod redirection and HBONE mTLS tunnels on port 15008',
    leavesOut:
      'ztunnel itself (HAProxy 2.6 plays it), HTTP/2 multiplexing of HBONE (one TLS session per application connection), source-IP preservation towards the application (it sees 127.0.0.6), and one extra in-process unix-socket hop per tunnel end',
    interception:
      "nftables REDIRECT in the pod to listeners the node proxy opens inside the pod's namespace (ztunnel's in-pod model); the node proxy runs with gid 1337, which the rules exclude",
  },
  'node-proxy+waypoint': {
    models:
      "Istio ambient mode with a waypoint: ztunnel per node plus an L7 Envoy waypoint pod in front of the server's service",
    leavesOut:
      'ztunnel and Envoy themselves (HAProxy 2.6 plays both), HTTP/2 multiplexing of HBONE, waypoint scaling and L7 policy (the waypoint parses HTTP and routes, nothing more), source-IP preservation towards the application',
    interception:
      "nftables REDIRECT in the pod to listeners the node proxy opens inside the pod's namespace (ztunnel's in-pod model); the waypoint pod is not captured and speaks the tunnel protocol itself",
  },
} satisfies Record<MeshMode, { models: string; leavesOut: string; interception: string }>;

export interface MeshPlanPod {
  name: string;
  node: string;
  ip: string;
  ns: string;
  serviceAccount?: string;
}

export interface MeshPlanInput {
  spec: MeshSpec;
  pods: readonly MeshPlanPod[];
  nodes: readonly { name: string; ns: string }[];
  /** Directory for this environment's proxy configs and stats sockets. */
  dir: string;
  caFile: string;
  /** The PEM (certificate + key) of a service account. */
  certFile(serviceAccount: string): string;
}

export interface PlannedProxy {
  role: MeshProxyRole;
  /** The pod (sidecar, waypoint) or node (node-proxy) the proxy belongs to. */
  owner: string;
  node: string;
  /** Namespace the proxy process runs in. */
  ns: string;
  layer: 'L4' | 'L7';
  configPath: string;
  config: string;
  statsSocket: string;
}

export interface MeshPlan {
  identities: { pod: string; serviceAccount: string; spiffeId: string }[];
  /** Service accounts that need a certificate (empty with mTLS off). */
  certificates: string[];
  /** Captured pods and the nftables script to load in each. */
  interception: { pod: string; ns: string; rules: string }[];
  proxies: PlannedProxy[];
  /** Proxies a request from one member to another crosses (through the waypoint if any). */
  traversals: number;
}

/** Why `topology.mesh` cannot be deployed, or undefined. Pure; used by the planner. */
export function meshProblem(topology: TopologySpec): string | undefined {
  const mesh = topology.mesh;
  if (mesh === undefined) return undefined;
  const names = new Set(topology.pods.map((p) => p.name));
  const unknown = mesh.members.filter((m) => !names.has(m));
  if (unknown.length > 0) return `mesh members ${unknown.join(', ')} are not pods of the topology`;
  if (!Number.isInteger(mesh.concurrency) || mesh.concurrency < 1 || mesh.concurrency > 64) {
    return `proxy concurrency ${mesh.concurrency} must be a whole number from 1 to 64`;
  }
  const wp = mesh.waypoint;
  if (mesh.mode === 'node-proxy+waypoint' && wp === undefined) {
    return 'mesh node-proxy+waypoint needs a waypoint pod';
  }
  if (wp !== undefined) {
    if (mesh.mode !== 'node-proxy+waypoint') {
      return `a waypoint only exists in mesh node-proxy+waypoint, not ${mesh.mode}`;
    }
    if (!names.has(wp.pod)) return `waypoint pod ${wp.pod} is not a pod of the topology`;
    if (mesh.members.includes(wp.pod)) {
      return `waypoint pod ${wp.pod} must not be a captured mesh member`;
    }
    const stray = wp.serves.filter((s) => !mesh.members.includes(s));
    if (stray.length > 0) return `the waypoint serves ${stray.join(', ')}, which are not members`;
  }
  for (const pod of topology.pods) {
    const sa = serviceAccountOf(pod);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(sa)) {
      return `service account "${sa}" of pod ${pod.name} is not a Kubernetes name (lowercase letters, digits, "-")`;
    }
  }
  return undefined;
}

export function planMesh(input: MeshPlanInput): MeshPlan {
  const { spec } = input;
  const podOf = (name: string): MeshPlanPod => {
    const pod = input.pods.find((p) => p.name === name);
    if (pod === undefined) throw new Error(`mesh plan: no pod named ${name}`);
    return pod;
  };
  const endpoint = (name: string): MeshEndpoint => {
    const pod = podOf(name);
    const sa = serviceAccountOf(pod);
    return {
      pod: pod.name,
      ip: pod.ip,
      ns: pod.ns,
      spiffeId: spiffeId(sa),
      certFile: input.certFile(sa),
    };
  };
  const waypoint = spec.waypoint;
  const inMesh = [...spec.members, ...(waypoint === undefined ? [] : [waypoint.pod])];
  const identities = inMesh.map((name) => {
    const sa = serviceAccountOf(podOf(name));
    return { pod: name, serviceAccount: sa, spiffeId: spiffeId(sa) };
  });
  const routesFrom = (src: string): MeshRoute[] =>
    spec.members
      .filter((m) => m !== src)
      .map((m) => {
        const via = waypoint?.serves.includes(m) === true ? endpoint(waypoint.pod) : undefined;
        return via === undefined ? { dst: endpoint(m) } : { dst: endpoint(m), via };
      });
  const common = {
    concurrency: spec.concurrency,
    mtls: spec.mtls,
    caFile: input.caFile,
  };
  const proxies: PlannedProxy[] = [];
  const add = (
    p: Omit<PlannedProxy, 'configPath' | 'statsSocket' | 'config'>,
    config: (statsSocket: string) => string,
  ): void => {
    const base = join(input.dir, `${p.role}-${p.owner}`);
    const statsSocket = `${base}.sock`;
    proxies.push({ ...p, configPath: `${base}.cfg`, statsSocket, config: config(statsSocket) });
  };

  if (spec.mode === 'sidecar') {
    for (const name of spec.members) {
      const pod = podOf(name);
      add({ role: 'sidecar', owner: name, node: pod.node, ns: pod.ns, layer: 'L7' }, (s) =>
        sidecarConfig({
          ...common,
          statsSocket: s,
          self: endpoint(name),
          routes: routesFrom(name),
        }),
      );
    }
  } else {
    for (const node of input.nodes) {
      const local = spec.members.filter((m) => podOf(m).node === node.name);
      if (local.length === 0) continue;
      add(
        { role: 'node-proxy', owner: node.name, node: node.name, ns: node.ns, layer: 'L4' },
        (s) =>
          nodeProxyConfig({
            ...common,
            statsSocket: s,
            node: node.name,
            pods: local.map((m) => ({ self: endpoint(m), routes: routesFrom(m) })),
          }),
      );
    }
    if (waypoint !== undefined) {
      const pod = podOf(waypoint.pod);
      add({ role: 'waypoint', owner: pod.name, node: pod.node, ns: pod.ns, layer: 'L7' }, (s) =>
        waypointConfig({
          ...common,
          statsSocket: s,
          self: endpoint(pod.name),
          serves: waypoint.serves.map(endpoint),
        }),
      );
    }
  }

  const proxyPorts =
    spec.mode === 'sidecar'
      ? [meshPorts.outbound, meshPorts.inbound]
      : [meshPorts.outbound, meshPorts.inbound, meshPorts.tunnel];
  return {
    identities,
    certificates:
      spec.mtls === 'strict' ? [...new Set(identities.map((i) => i.serviceAccount))] : [],
    interception: spec.members.map((name) => ({
      pod: name,
      ns: podOf(name).ns,
      rules: interceptionRules({ proxyPorts }),
    })),
    proxies,
    traversals: spec.mode === 'node-proxy+waypoint' ? 3 : 2,
  };
}
