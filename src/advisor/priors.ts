/**
 * Published figures the advisor falls back on when no run measured a thing, each labelled as a
 * prior with its source. They describe the products (Envoy, ztunnel, linkerd2-proxy) on someone
 * else's cluster, so a measurement on the team's own machines always replaces them.
 */
import type { MeshMode } from '../topology/mesh-spec.js';
import { seed, type Source } from './sources.js';
import type { MeshChoice } from './vocabulary.js';

/** One proxy's published cost at a given load. */
export interface ProxyPrior {
  /** vCPU of one proxy instance while it carries `atRps` requests per second. */
  cpuCores: number;
  atRps: number;
  memoryBytes: number;
  source: Source;
}

const MB = 1e6;

/**
 * Istio 1.24's own benchmark (1 000 HTTP requests/s, 1 KB, mTLS, 2 worker threads) as quoted in
 * seed-002 §1.4, and Linkerd's proxy estimated from Buoyant's 1/8 CPU and 1/9 memory (seed-002
 * §4.1, marked there as an estimate).
 */
export const proxyPriors = {
  envoySidecar: {
    cpuCores: 0.2,
    atRps: 1000,
    memoryBytes: 60 * MB,
    source: seed('seed-002', '§1.4 Istio sidecar: ~0.20 vCPU, ~60 MB at 1 000 rps'),
  },
  linkerdSidecar: {
    cpuCores: 0.025,
    atRps: 1000,
    memoryBytes: 7 * MB,
    source: seed(
      'seed-002',
      '§4.1 Linkerd proxy: ~0.025 vCPU, ~7 MB (estimated 1/8, 1/9 of Istio)',
    ),
  },
  ztunnel: {
    cpuCores: 0.06,
    atRps: 1000,
    memoryBytes: 12 * MB,
    source: seed('seed-002', '§1.4 ambient ztunnel: ~0.06 vCPU, ~12 MB per node'),
  },
  waypoint: {
    cpuCores: 0.25,
    atRps: 1000,
    memoryBytes: 60 * MB,
    source: seed('seed-002', '§1.4 waypoint: ~0.25 vCPU, ~60 MB per instance'),
  },
} as const satisfies Record<string, ProxyPrior>;

/**
 * Published p99 latency overheads with mTLS, relative to no mesh: the independent arXiv study
 * (2411.02267) at 3 200 requests/s, quoted in seed-002 §8.2 and seed-003's comparison table.
 * Cilium's mesh had +99 %, Istio ambient +8 %, Linkerd +33 %, Istio sidecar +166 %.
 */
export const mtlsLatencyPriors = {
  'istio-sidecar': 1.66,
  'istio-ambient': 0.08,
  linkerd: 0.33,
  'cilium-mesh': 0.99,
} as const satisfies Record<Exclude<MeshChoice, 'none'>, number>;

export const mtlsLatencyPriorSource = seed(
  'seed-002',
  '§8.2 mTLS latency impact at 3 200 rps (arXiv 2411.02267)',
);

/**
 * The lab's mesh model that has each product's shape (docs/mesh.md): the lab measures shapes, not
 * products, so Linkerd and Istio sidecars share the sidecar model.
 */
export function labModelOf(choice: Exclude<MeshChoice, 'none'>, l7: boolean): MeshMode {
  switch (choice) {
    case 'istio-sidecar':
    case 'linkerd':
      return 'sidecar';
    case 'istio-ambient':
      return l7 ? 'node-proxy+waypoint' : 'node-proxy';
    case 'cilium-mesh':
      return 'node-proxy';
  }
}
