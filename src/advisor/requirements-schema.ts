/**
 * The requirements file of `netbench advise`: what the cluster is, what the team needs, what it
 * can run and what it may spend. Declared once as a zod schema; the TypeScript type and the
 * published JSON Schema (docs/requirements.schema.json) both come from it.
 */
import { z } from 'zod';
import { bytesSchema, durationSchema, rateSchema } from '../spec/human-units.js';
import {
  currentCniNames,
  currentIngressNames,
  kubeProxyChoices,
  meshChoices,
} from './vocabulary.js';

const count = (what: string) =>
  z
    .number({ error: `expected a whole number of ${what}` })
    .int()
    .nonnegative();

/** What the cluster runs today; the advisor keeps a stable setup unless a need forces a move. */
const currentSchema = z.strictObject({
  /** The CNI plugin today. @example calico */
  cni: z.enum(currentCniNames).optional(),
  /** The service mesh today. @default none */
  mesh: z.enum(meshChoices).optional(),
  /** kube-proxy's mode (or `ebpf` for a kube-proxy replacement) today. @example iptables */
  kubeProxy: z.enum(kubeProxyChoices).optional(),
  /** The ingress controller today; `ingress-nginx` draws a retirement warning. */
  ingress: z.enum(currentIngressNames).optional(),
  /** The current setup works and the team knows how to debug it. @default false */
  stable: z.boolean().default(false),
});

const clusterSchema = z.strictObject({
  /** Kubernetes Services in the cluster. @example 120 */
  services: count('Services'),
  /** Pods in the cluster (sidecars: one proxy each). @example 900 */
  pods: count('pods'),
  /** Nodes in the cluster (node proxies: one each). @example 40 */
  nodes: count('nodes').min(1),
  /** Operating systems of the nodes; add `windows` for mixed clusters. @default [linux] */
  nodeOS: z
    .array(z.enum(['linux', 'windows']))
    .min(1)
    .default(['linux']),
  /** Oldest node kernel, `major.minor`. @example "6.1" */
  kernel: z
    .union([z.string(), z.number()])
    .transform((v) => String(v))
    .refine((v) => /^\d+\.\d+(\.\d+)?$/.test(v), {
      message: 'kernel must be a version like "6.1" or "5.10"',
      params: { hint: 'quote it in YAML ("5.10"), or 5.10 becomes the number 5.1' },
    }),
  /** `development` clusters may use Flannel; everything else is treated as production. @default production */
  purpose: z.enum(['production', 'development']).default('production'),
  /**
   * East-west requests per second, whole cluster, at the busy hour: what the proxies' CPU is
   * priced at. Without it the cost model gives memory only. @example 20k
   */
  requestsPerSecond: rateSchema.optional(),
  current: currentSchema.optional(),
});

const needsSchema = z.strictObject({
  /** mTLS between services: none, some pairs, or all east-west pairs (compliance). @default none */
  mtls: z.enum(['none', 'some', 'all']).default('none'),
  /**
   * L7 (HTTP method/path) policy: none, basic, or auditable (synchronous enforcement, compliance
   * grade). @default none
   */
  l7Policy: z.enum(['none', 'basic', 'auditable']).default('none'),
  /** Canary splits, retries, rate limits done by the infrastructure. @default false */
  l7Traffic: z.boolean().default(false),
  /** Every pod needs its own L7 proxy (per-workload L7 isolation a shared proxy cannot give). @default false */
  perPodL7: z.boolean().default(false),
  /** Nodes must advertise routes to physical routers over BGP. @default false */
  bgpPeering: z.boolean().default(false),
  /** Kubernetes NetworkPolicy must be enforced. @default true */
  networkPolicy: z.boolean().default(true),
  /** What to observe: network flows, or every request. @default flows */
  observability: z.enum(['flows', 'requests']).default('flows'),
});

const budgetSchema = z
  .strictObject({
    /** Latency the mesh may add at p99 on a request path. @example 5ms */
    p99: durationSchema.optional(),
    /** Proxy vCPU for the whole cluster. @example 20 */
    proxyCpu: z.number().positive().optional(),
    /** Proxy memory for the whole cluster. @example 32GiB */
    proxyMemory: bytesSchema.optional(),
  })
  .transform((b) => ({
    p99AddedUs: b.p99 === undefined ? undefined : b.p99 * 1e6,
    proxyCpuCores: b.proxyCpu,
    proxyMemoryBytes: b.proxyMemory,
  }));

export const requirementsSchema = z.strictObject({
  cluster: clusterSchema,
  needs: needsSchema.prefault({}),
  /** How much operational load the platform team can take on: low, medium, high. @default medium */
  team: z
    .strictObject({ capacity: z.enum(['low', 'medium', 'high']).default('medium') })
    .prefault({}),
  budget: budgetSchema.optional(),
});

/** Validated requirements, every default applied. */
export type Requirements = z.infer<typeof requirementsSchema>;

/** The budget as the rules read it (units in the names). */
export type Budget = NonNullable<Requirements['budget']>;
