/**
 * What the runner and the agent (netbench running inside a pod) say to each other. The runner
 * passes one JSON `--config`; the agent answers with JSON lines: events on stdout (`ready`,
 * `window`, `result`, `stopped`), progress on stderr (`progress`). Both sides parse with these
 * schemas.
 */
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);

export const httpServerConfigSchema = z.strictObject({
  port,
  payloadBytes: z.number().int().min(0),
  /** @default "http1" (HTTP/1.1; also serves connection-per-request clients) */
  protocol: z.enum(['http1', 'h2c']).default('http1'),
});
export type HttpServerConfig = z.input<typeof httpServerConfigSchema>;

export const tcpServerConfigSchema = z.strictObject({
  port,
  mode: z.enum(['rr', 'crr']),
  messageBytes: z.number().int().min(1),
});
export type TcpServerConfig = z.infer<typeof tcpServerConfigSchema>;

/** How the engine reaches the server: which transport builds its slots. */
export const transportConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('http1'),
    url: z.string().url(),
    connections: z.number().int().min(1),
    /** A new connection for every request. */
    close: z.boolean(),
  }),
  z.strictObject({
    kind: z.literal('h2c'),
    url: z.string().url(),
    connections: z.number().int().min(1),
    streams: z.number().int().min(1),
  }),
  z.strictObject({
    kind: z.literal('tcp'),
    host: z.string(),
    port,
    mode: z.enum(['rr', 'crr']),
    connections: z.number().int().min(1),
    messageBytes: z.number().int().min(1),
  }),
]);
export type TransportConfig = z.infer<typeof transportConfigSchema>;

export const loadConfigSchema = z.strictObject({
  transport: transportConfigSchema,
  rate: z.union([z.literal('max'), z.number().positive()]),
  warmupS: z.number().min(0),
  durationS: z.number().positive(),
  timeoutS: z.number().positive(),
  /** Worker threads; at most one per connection. @default 1 */
  threads: z.number().int().min(1).default(1),
});
export type LoadConfig = z.input<typeof loadConfigSchema>;

const portNumber = z.number().int().min(1).max(65535);

/**
 * `policy-agent`: serve these ports in a pod for `netbench policy verify`, and probe other pods
 * on request: each line on stdin is a `PolicyProbeRequest`, answered by a `result` event whose
 * result is `{ round, outcomes }`.
 */
export const policyAgentConfigSchema = z.strictObject({
  tcpPorts: z.array(portNumber),
  udpPorts: z.array(portNumber),
  /** Record crafted SCTP probes arriving on a raw socket (emits `received`). */
  sctp: z.boolean(),
});
export type PolicyAgentConfig = z.infer<typeof policyAgentConfigSchema>;

/** One round of probes from the agent's pod, all at once, with a short timeout. */
export const policyProbeRequestSchema = z.strictObject({
  round: z.number().int().min(0),
  targets: z.array(
    z.strictObject({
      id: z.number().int().min(0),
      ip: z.string(),
      port: portNumber,
      protocol: z.enum(['TCP', 'UDP', 'SCTP']),
    }),
  ),
  timeoutMs: z.number().int().positive(),
  concurrency: z.number().int().min(1),
});
export type PolicyProbeRequest = z.infer<typeof policyProbeRequestSchema>;

export const agentEventSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('ready'), port: z.number() }),
  z.object({ event: z.literal('stopped'), served: z.number() }),
  z.object({ event: z.literal('result'), result: z.unknown() }),
  /** The measured window started or ended (the runner samples resources in between). */
  z.object({ event: z.literal('window'), phase: z.enum(['start', 'end']) }),
  z.object({
    event: z.literal('progress'),
    elapsedS: z.number(),
    phase: z.string(),
    rps: z.number(),
    p99Us: z.number(),
  }),
  /** policy-agent: crafted SCTP probe `probe` arrived on `port`. */
  z.object({ event: z.literal('received'), probe: z.number(), port: z.number() }),
  z.object({
    event: z.literal('error'),
    code: z.string(),
    message: z.string(),
    hint: z.string().optional(),
  }),
]);
export type AgentEvent = z.infer<typeof agentEventSchema>;

/** Parses one line of agent output; undefined for anything that is not an agent event. */
export function parseAgentEvent(line: string): AgentEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = agentEventSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** One downstream service of a graph service: where its pods listen. */
const graphCalleeSchema = z.strictObject({
  service: z.string(),
  /** One URL per pod of the callee; requests go round robin over them. */
  endpoints: z.array(z.strictObject({ pod: z.string(), url: z.string().url() })).min(1),
});

/**
 * `graph-service`: one service of a call graph (workload graph). Serves HTTP on `port`; per
 * request spends `serviceTimeUs` (busy or sleep), calls its callees (sequentially or in
 * parallel), then answers `payloadBytes`. Lines on stdin: `{"window":"start"}` starts recording,
 * `{"window":"end"}` stops it and emits a `result` event with a GraphServiceResult.
 */
export const graphServiceConfigSchema = z.strictObject({
  port,
  service: z.string(),
  pod: z.string(),
  serviceTimeUs: z.number().int().min(0),
  serviceTime: z.enum(['busy', 'sleep']),
  payloadBytes: z.number().int().min(0),
  callMode: z.enum(['sequential', 'parallel']),
  callees: z.array(graphCalleeSchema),
  /** Keep-alive connections per callee pod. */
  connections: z.number().int().min(1),
  timeoutMs: z.number().int().positive(),
  /** The entry service starts traces: every `traceEvery`-th request carries a trace id. */
  entry: z.boolean(),
  traceEvery: z.number().int().min(1),
});
export type GraphServiceConfig = z.infer<typeof graphServiceConfigSchema>;

/** One outgoing call of a traced request, times relative to the request's arrival. */
export const graphCallSpanSchema = z.strictObject({
  service: z.string(),
  pod: z.string(),
  startUs: z.number(),
  durationUs: z.number(),
  ok: z.boolean(),
});

/** One traced request as one service saw it. `atUs` is the host's monotonic clock. */
export const graphSpanSchema = z.strictObject({
  trace: z.number().int(),
  /** Arrival on the host's monotonic clock (comparable across pods of one machine only). */
  atUs: z.number(),
  serverUs: z.number(),
  /** Time spent in the declared service time. */
  workUs: z.number(),
  calls: z.array(graphCallSpanSchema),
  ok: z.boolean(),
});
export type GraphSpan = z.infer<typeof graphSpanSchema>;

/** What a graph service measured over the window. */
export const graphServiceResultSchema = z.strictObject({
  service: z.string(),
  pod: z.string(),
  requests: z.number().int(),
  /** Requests answered with an error (a callee failed or timed out). */
  failed: z.number().int(),
  /** Encoded HDR histogram of the server-side latency, arrival to response, µs. */
  serverUs: z.string(),
  edges: z.array(
    z.strictObject({
      to: z.string(),
      toPod: z.string(),
      calls: z.number().int(),
      errors: z.number().int(),
      timeouts: z.number().int(),
      errorKinds: z.record(z.string(), z.number()),
      /** Encoded HDR histogram of the call latency as the caller saw it, µs. */
      callUs: z.string(),
    }),
  ),
  spans: z.array(graphSpanSchema),
  /** Spans not kept because the cap was reached. */
  spansDropped: z.number().int(),
});
export type GraphServiceResult = z.infer<typeof graphServiceResultSchema>;
