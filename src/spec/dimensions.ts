/**
 * The dimensions a scenario can vary. Each is declared once here with its schema (human input →
 * canonical value), its default and a description; the matrix, the planner, results and reports
 * all read this registry. Adding a dimension is one entry.
 */
import { z } from 'zod';
import { parseBitRate, parseRate, type ParseOutcome } from '../core/units.js';
import { bytesSchema } from './human-units.js';
import { closest } from './suggest.js';

/** Lab datapath models; see docs/datapaths.md for what real CNI each one stands for. */
export const datapathNames = ['bridge', 'vxlan', 'routed'] as const;
export type DatapathName = (typeof datapathNames)[number];

export const placementNames = ['same-node', 'cross-node'] as const;
export type PlacementName = (typeof placementNames)[number];

export const workloadNames = ['http', 'tcp-rr', 'tcp-crr', 'tcp-stream', 'udp-stream'] as const;
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
 * Offered request rate: requests/s, `max` for closed loop (as many as the connections carry), a
 * load level, or a share of the measured capacity.
 */
export type RateSpec = number | 'max' | LoadLevel | CapacityShare;

/**
 * Offered bit rate of the stream workloads: bits/s, `max` (TCP: unpaced; UDP: 100% of the
 * measured capacity, never unlimited), a load level, or a share of the measured capacity.
 */
export type BitRateSpec = number | 'max' | LoadLevel | CapacityShare;

export const httpProtocolNames = ['http1', 'http1-close', 'h2c'] as const;
export type HttpProtocol = (typeof httpProtocolNames)[number];

export const pinningNames = ['none', 'same-cpu', 'cross-cpu'] as const;
export type Pinning = (typeof pinningNames)[number];

/**
 * One schema for an offered load (`rate` or `bitrate`): `max`, a load level, a share like `60%`,
 * or an absolute value parsed by `parseAbsolute`. A single transform (not a union) so a mistake
 * gets one message that quotes it and names the closest choice.
 */
function offeredLoadSchema<T>(
  what: string,
  parseAbsolute: (input: unknown) => ParseOutcome<number>,
  example: string,
): z.ZodType<T, unknown> {
  const words = ['max', ...loadLevelNames];
  return z.unknown().transform((input, ctx): T => {
    if (typeof input !== 'string' && typeof input !== 'number') {
      // A type mismatch (not a custom issue), so a list of bad values is reported value by value.
      ctx.addIssue({
        code: 'invalid_type',
        expected: 'string',
        input,
        message: `expected ${example}, "max", a load level or a share like "60%"`,
      });
      return z.NEVER;
    }
    const text = typeof input === 'string' ? input.trim() : undefined;
    if (text !== undefined && words.includes(text)) return text as T;
    if (text !== undefined && text.endsWith('%')) {
      const n = Number(text.slice(0, -1).trim());
      if (text.slice(0, -1).trim() !== '' && n > 0 && n <= 100) return `${n}%` as T;
      ctx.addIssue({
        code: 'custom',
        message: `${what} ${JSON.stringify(input)} is not a share of the measured capacity between 0% and 100%`,
        params: { hint: 'write a share like "60%", or a load level: idle, moderate, high' },
      });
      return z.NEVER;
    }
    const outcome = parseAbsolute(input);
    if (outcome.ok) return outcome.value as T;
    const near = text === undefined ? undefined : closest(text, words);
    ctx.addIssue({
      code: 'custom',
      message: `${what} ${JSON.stringify(input)} is not ${example}, "max", a load level or a share like "60%"`,
      params: {
        hint:
          near !== undefined && !/\d/.test(text ?? '')
            ? `did you mean "${near}"? (load levels: ${loadLevelNames.join(', ')})`
            : outcome.hint,
      },
    });
    return z.NEVER;
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
      'Traffic engine: http (HTTP request/response), tcp-rr (one connection, ping-pong; sockperf), tcp-crr (connect, request, response, close), tcp-stream (iperf3 TCP), udp-stream (iperf3 UDP at a controlled rate)',
    schema: z.enum(workloadNames),
    default: 'http',
    format: (v) => v,
  }),
  datapath: define<DatapathName>({
    description:
      'How pod packets move: bridge (same-node bridge only), vxlan (Flannel-style overlay), routed (static routes, Calico-style without BGP)',
    schema: z.enum(datapathNames),
    default: 'bridge',
    format: (v) => v,
  }),
  placement: define<PlacementName>({
    description: 'Where the server pod runs relative to the client: same-node or cross-node',
    schema: z.enum(placementNames),
    default: 'same-node',
    format: (v) => v,
  }),
  rate: define<RateSpec>({
    description:
      'Offered request rate of http, tcp-rr and tcp-crr: requests/s ("1k", "500"), "max" for closed loop at full speed, a load level (idle, moderate, high) or a share of the measured capacity ("60%")',
    schema: offeredLoadSchema<RateSpec>('rate', parseRate, 'a number of requests per second'),
    default: 1000,
    format: (v) => (typeof v === 'number' ? `${v}rps` : v),
  }),
  bitrate: define<BitRateSpec>({
    description:
      'Offered bit rate of tcp-stream and udp-stream: bits/s ("500Mbit", "2G"), "max" (TCP unpaced; UDP at 100% of the measured capacity), a load level (idle, moderate, high) or a share of the measured capacity ("60%")',
    schema: offeredLoadSchema<BitRateSpec>('bitrate', parseBitRate, 'a bit rate like "500Mbit"'),
    default: 'max',
    format: (v) => (typeof v === 'number' ? `${v / 1e6}Mbit` : v),
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
