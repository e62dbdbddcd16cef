/**
 * The dimensions a scenario can vary. Each is declared once here with its schema (human input →
 * canonical value), its default and a description; the matrix, the planner, results and reports
 * all read this registry. Adding a dimension is one entry.
 */
import { z } from 'zod';
import { parseBitRate, type BitsPerSecond } from '../core/units.js';
import { bytesSchema, rateSchema } from './human-units.js';
import { closest } from './suggest.js';
import { graphSchema, noGraph, type GraphSpec } from './graph-spec.js';

/** Lab datapath models; see docs/datapaths.md for what real CNI each one stands for. */
export const datapathNames = ['host', 'bridge', 'vxlan', 'routed', 'routed-bgp', 'ebpf'] as const;
export type DatapathName = (typeof datapathNames)[number];

export const placementNames = ['same-node', 'cross-node', 'via-service'] as const;
export type PlacementName = (typeof placementNames)[number];

/**
 * How Service rules are programmed: kube-proxy's iptables mode (on the host's default iptables,
 * the nf_tables backend on current distributions, or on the legacy xtables backend), its
 * nftables mode, or eBPF maps read by the ebpf datapath (Cilium's kube-proxy replacement).
 */
export const kubeProxyModes = ['iptables', 'iptables-legacy', 'nftables', 'ebpf'] as const;
export type KubeProxyMode = (typeof kubeProxyModes)[number];

/** A pod bandwidth limit in bits/s, or `unlimited`. */
export type BandwidthSpec = BitsPerSecond | 'unlimited';

/** A count like `0`, `1000`, `1k`, `10k` (whole, >= 0). */
const countSchema = z.union([z.number(), z.string()]).transform((input, ctx) => {
  const m = typeof input === 'number' ? null : /^\s*(\d+(?:\.\d+)?)\s*([kK]?)\s*$/.exec(input);
  const value =
    typeof input === 'number' ? input : m === null ? NaN : Number(m[1]) * (m[2] === '' ? 1 : 1000);
  if (!Number.isInteger(value) || value < 0) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(input)} is not a whole number >= 0`,
      params: { hint: 'write a count like 0, 1000, "1k" or "10k"' },
    });
    return z.NEVER;
  }
  return value;
});

export const workloadNames = [
  'http',
  'tcp-rr',
  'tcp-crr',
  'tcp-stream',
  'udp-stream',
  'graph',
] as const;

/**
 * Service-mesh architectures the lab models (docs/mesh.md): none, an L7 sidecar in every pod,
 * one L4 proxy per node (Istio ambient's ztunnel), or node proxies plus an L7 waypoint.
 */
export const meshNames = ['none', 'sidecar', 'node-proxy', 'node-proxy+waypoint'] as const;
export type MeshName = (typeof meshNames)[number];

/** Mutual TLS between mesh proxies: off (plaintext hops) or strict (mTLS only, plaintext refused). */
export const mtlsModes = ['off', 'strict'] as const;
export type MtlsMode = (typeof mtlsModes)[number];
export type WorkloadName = (typeof workloadNames)[number];

/**
 * Load levels, defined relative to the capacity a short closed-loop probe measures on the trial's
 * own path (see docs/workloads.md; the fractions live in workload/offered-load.ts).
 */
export const loadLevelNames = ['idle', 'moderate', 'high'] as const;
export type LoadLevel = (typeof loadLevelNames)[number];

/** A share of the measured capacity, e.g. `60%`. */
export type CapacityShare = `${number}%`;

/**
 * Offered load relative to the measured capacity (a level or a share, for every workload), or
 * `fixed`: the absolute `rate` (request workloads) or `bitrate` (stream workloads).
 */
export type LoadSpec = 'fixed' | LoadLevel | CapacityShare;

/** How NetworkPolicies are enforced in the lab; see docs/policy.md. */
export const policyEnforcerNames = ['iptables', 'nftables'] as const;
export type PolicyEnforcerName = (typeof policyEnforcerNames)[number];

/**
 * NetworkPolicy in force during a trial: none, a default-deny plus the allow rules the benchmark
 * needs (the setup of the published CNI comparisons), or that plus N unrelated allow rules.
 */
export type PolicySetting = 'off' | 'default-deny-allow' | `scale-${number}`;

/** The largest `scale-N` accepted: enough to show the linear cost, small enough to program. */
export const maxPolicyScaleRules = 100_000;

const policySettingSchema = z.string().transform((input, ctx): PolicySetting => {
  if (input === 'off' || input === 'default-deny-allow') return input;
  const m = /^scale-(\d+(?:\.\d+)?)(k?)$/i.exec(input.trim());
  const n = m === null ? NaN : Number(m[1]) * (m[2] === '' ? 1 : 1000);
  if (!Number.isInteger(n) || n < 1 || n > maxPolicyScaleRules) {
    ctx.addIssue({
      code: 'custom',
      message: `policy ${JSON.stringify(input)} is not off, default-deny-allow or scale-<rules>`,
      params: {
        hint: `write off, default-deny-allow, or scale-N with N from 1 to ${maxPolicyScaleRules} unrelated rules (scale-1k, scale-10000)`,
      },
    });
    return z.NEVER;
  }
  return `scale-${n}`;
});

/** A request rate in requests/s, or `max` for closed loop (as many as the connections carry). */
export type RateSpec = number | 'max';

/**
 * Bit rate of the stream workloads in bits/s, or `max`: TCP unpaced; UDP at 100% of the
 * measured capacity (UDP is never sent unlimited).
 */
export type BitRateSpec = number | 'max';

export const httpProtocolNames = ['http1', 'http1-close', 'h2c'] as const;
export type HttpProtocol = (typeof httpProtocolNames)[number];

export const pinningNames = ['none', 'same-cpu', 'cross-cpu'] as const;
export type Pinning = (typeof pinningNames)[number];

/**
 * `load`: `fixed`, a load level or a share like `60%`. A single transform (not a union) so a
 * mistake gets one message that quotes it and names the closest choice.
 */
const loadSchema: z.ZodType<LoadSpec, unknown> = z.unknown().transform((input, ctx): LoadSpec => {
  const words: readonly string[] = ['fixed', ...loadLevelNames];
  const text = typeof input === 'string' ? input.trim() : undefined;
  if (text === undefined) {
    // A type mismatch (not a custom issue), so a list of bad values is reported value by value.
    ctx.addIssue({
      code: 'invalid_type',
      expected: 'string',
      input,
      message: 'expected a load level (idle, moderate, high), a share like "60%" or "fixed"',
    });
    return z.NEVER;
  }
  if (words.includes(text)) return text as LoadSpec;
  const share = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  const n = Number(share?.[1]);
  if (share !== null && n > 0 && n <= 100) return `${n}%`;
  const near = closest(text, words);
  ctx.addIssue({
    code: 'custom',
    message:
      share === null
        ? `load ${JSON.stringify(input)} is not a load level, a share of the capacity or "fixed"`
        : `load ${JSON.stringify(input)} is not a share of the measured capacity between 0% and 100%`,
    params: {
      hint:
        near !== undefined && share === null
          ? `did you mean "${near}"? (expected idle, moderate, high, a share like "60%", or fixed)`
          : 'write a share like "60%", a load level (idle, moderate, high), or fixed with a rate or bitrate',
    },
  });
  return z.NEVER;
});

const bitRateSchema = z.union([z.string(), z.number()]).transform((input, ctx) => {
  const outcome = parseBitRate(input);
  if (outcome.ok) return outcome.value;
  ctx.addIssue({ code: 'custom', message: outcome.message, params: { hint: outcome.hint } });
  return z.NEVER;
});

/** The highest request rate accepted: well above what one load generator can offer. */
export const maxRateRps = 10_000_000;
/** The highest bit rate accepted: 1 Tbit/s, beyond any pod's NIC. */
export const maxBitRateBps = 1e12;

/** A number in (0, max], refused with the range and the value as written. */
function atMost(max: number, what: string, example: string): z.ZodType<number, number> {
  return z.number().superRefine((value, ctx) => {
    if (value <= max) return;
    ctx.addIssue({
      code: 'custom',
      message: `${what} ${value} is above ${max.toLocaleString('en')}, the most netbench offers`,
      params: { hint: `give a ${what} from 1 to ${example}, or "max"` },
    });
  });
}

export interface DimensionDefinition<T> {
  description: string;
  /** Validates one user value and converts it to the canonical form. */
  schema: z.ZodType<T, unknown>;
  default: T;
  /** Short label used in trial ids and tables. */
  format(value: T): string;
}

function define<T>(d: DimensionDefinition<T>): DimensionDefinition<T> {
  return d;
}

export const dimensions = {
  workload: define<WorkloadName>({
    description:
      'Traffic engine: http (HTTP request/response), tcp-rr (one connection, ping-pong; sockperf), tcp-crr (connect, request, response, close), tcp-stream (iperf3 TCP), udp-stream (iperf3 UDP at a controlled rate), graph (a call graph of services, see graph)',
    schema: z.enum(workloadNames),
    default: 'http',
    format: (v) => v,
  }),
  datapath: define<DatapathName>({
    description:
      'How pod packets move (docs/datapaths.md): host (no CNI: host network), bridge (CNI bridge plugin, one node), vxlan (Flannel-style overlay), routed (static routes), routed-bgp (Calico-style, routes learned by BIRD over iBGP), ebpf (Cilium-style tc programs)',
    schema: z.enum(datapathNames),
    default: 'bridge',
    format: (v) => v,
  }),
  placement: define<PlacementName>({
    description:
      "Where the server runs relative to the client: same-node, cross-node, or via-service (two server replicas on the client's node behind a ClusterIP Service)",
    schema: z.enum(placementNames),
    default: 'same-node',
    format: (v) => v,
  }),
  load: define<LoadSpec>({
    description:
      'Offered load relative to the capacity a short closed-loop probe measures on the same path: idle (1%), moderate (50%), high (80%), a share ("60%"; a list of shares is a sweep), or fixed to use rate / bitrate',
    schema: loadSchema,
    default: 'fixed',
    format: (v) => v,
  }),
  services: define<number>({
    description:
      'Unrelated ClusterIP Services programmed alongside (0, 1000, "10k"): makes the Service rules as large as a cluster\'s',
    schema: countSchema.pipe(z.number().max(100_000, 'at most 100000 services')),
    default: 0,
    format: (v) => `${v}svc`,
  }),
  kubeProxy: define<KubeProxyMode>({
    description:
      'How Services are programmed: iptables (kube-proxy iptables mode, default backend), iptables-legacy (same rules, legacy xtables backend), nftables (kube-proxy nftables mode), ebpf (maps read by the ebpf datapath, as Cilium replaces kube-proxy)',
    schema: z.enum(kubeProxyModes),
    default: 'iptables',
    format: (v) => `kp-${v}`,
  }),
  bandwidth: define<BandwidthSpec>({
    description:
      'Per-pod ingress and egress limit through the chained CNI bandwidth plugin ("100Mbit"), or unlimited',
    schema: z.union([z.literal('unlimited'), bitRateSchema]),
    default: 'unlimited',
    format: (v) => (v === 'unlimited' ? 'unlimited' : `${v / 1e6}Mbit`),
  }),
  rate: define<RateSpec>({
    description:
      'Request rate of http, tcp-rr and tcp-crr when load is fixed: requests/s ("1k", "500"), or "max" for closed loop at full speed',
    schema: z.union([
      z.literal('max'),
      rateSchema.pipe(atMost(maxRateRps, 'rate (requests/s)', '"10M"')),
    ]),
    default: 1000,
    format: (v) => (v === 'max' ? 'max' : `${v}rps`),
  }),
  bitrate: define<BitRateSpec>({
    description:
      'Bit rate of tcp-stream and udp-stream when load is fixed: bits/s ("500Mbit", "2G"), or "max" (TCP unpaced; UDP at 100% of the measured capacity, never unlimited)',
    schema: z.union([
      z.literal('max'),
      bitRateSchema.pipe(atMost(maxBitRateBps, 'bitrate (bits/s)', '"1Tbit"')),
    ]),
    default: 'max',
    format: (v) => (v === 'max' ? 'max' : `${v / 1e6}Mbit`),
  }),
  protocol: define<HttpProtocol>({
    description:
      'HTTP protocol of the http workload: http1 (HTTP/1.1 keep-alive), http1-close (a new connection per request), h2c (HTTP/2 over cleartext, prior knowledge)',
    schema: z.enum(httpProtocolNames),
    default: 'http1',
    format: (v) => v,
  }),
  streams: define<number>({
    description:
      'Parallel streams: iperf3 -P for tcp-stream and udp-stream; concurrent HTTP/2 streams per connection for h2c',
    schema: z.number().int().min(1).max(128),
    default: 1,
    format: (v) => `${v}str`,
  }),
  threads: define<number>({
    description:
      'Worker threads of the load generator (http, tcp-crr); histograms are merged across them',
    schema: z.number().int().min(1).max(64),
    default: 1,
    format: (v) => `${v}thr`,
  }),
  pinning: define<Pinning>({
    description:
      'CPU pinning of client and server (taskset): none, same-cpu (both on CPU 0), cross-cpu (client on CPU 0, server on CPU 1); recorded per repetition',
    schema: z.enum(pinningNames),
    default: 'none',
    format: (v) => (v === 'none' ? 'unpinned' : v),
  }),
  connections: define<number>({
    description: 'Concurrent keep-alive connections from the client',
    schema: z.number().int().min(1).max(10_000),
    default: 8,
    format: (v) => `${v}conn`,
  }),
  payload: define<number>({
    description: 'Response body size ("64", "1KiB", "64KiB")',
    schema: bytesSchema.pipe(z.number().max(64 * 1024 * 1024)),
    default: 1024,
    format: (v) => `${v}B`,
  }),
  policy: define<PolicySetting>({
    description:
      'NetworkPolicy in force: off, default-deny-allow (deny all, then allow the client to reach the server), or scale-N (default-deny-allow plus N unrelated allow rules on the server: scale-1k, scale-10k)',
    schema: policySettingSchema,
    default: 'off',
    format: (v) => (v === 'off' ? 'policy-off' : v),
  }),
  enforcer: define<PolicyEnforcerName>({
    description:
      'How the lab enforces policies (when policy is not off): iptables (per-pod chains, linear, Calico-style) or nftables (sets and verdict maps)',
    schema: z.enum(policyEnforcerNames),
    default: 'iptables',
    format: (v) => v,
  }),
  mesh: define<MeshName>({
    description:
      'Service mesh between the pods: none, sidecar (L7 proxy in every pod), node-proxy (one L4 mTLS proxy per node, Istio ambient model), node-proxy+waypoint (node proxies plus an L7 waypoint in front of the server)',
    schema: z.enum(meshNames),
    default: 'none',
    format: (v) => (v === 'none' ? 'no-mesh' : v),
  }),
  mtls: define<MtlsMode>({
    description:
      'Mutual TLS between mesh proxies: strict (TLS 1.3 with a per-run CA; plaintext from outside the mesh is refused) or off. Ignored when mesh is none',
    schema: z.enum(mtlsModes),
    default: 'strict',
    format: (v) => `mtls-${v}`,
  }),
  proxyConcurrency: define<number>({
    description:
      'Worker threads of every mesh proxy (HAProxy nbthread; what Envoy calls --concurrency). Ignored when mesh is none',
    schema: z.number().int().min(1).max(64),
    default: 2,
    format: (v) => `${v}thr`,
  }),
  graph: define<GraphSpec>({
    description:
      'Microservice call graph of the graph workload (docs/workloads.md): bookinfo, { chain: N }, { fanout: K }, or a graph written out with name and services',
    schema: graphSchema,
    default: noGraph,
    format: (v) => v.name,
  }),
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own value type
} satisfies Record<string, DimensionDefinition<any>>;

export type DimensionName = keyof typeof dimensions;
export const dimensionNames = Object.keys(dimensions) as DimensionName[];

/** The value of every dimension for one trial. */
export type TrialDimensions = {
  [K in DimensionName]: (typeof dimensions)[K] extends DimensionDefinition<infer T> ? T : never;
};

export function defaultDimensions(): TrialDimensions {
  const out: Record<string, unknown> = {};
  for (const name of dimensionNames) out[name] = dimensions[name].default;
  return out as TrialDimensions;
}
