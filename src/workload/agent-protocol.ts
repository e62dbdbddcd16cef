/**
 * What the runner and the agent (netbench running inside a pod) say to each other. The runner
 * passes one JSON `--config`; the agent answers with JSON lines: events on stdout (`ready`,
 * `result`, `stopped`), progress on stderr (`progress`). Both sides parse with these schemas.
 */
import { z } from 'zod';

export const httpServerConfigSchema = z.strictObject({
  port: z.number().int().min(0).max(65535),
  payloadBytes: z.number().int().min(0),
});
export type HttpServerConfig = z.infer<typeof httpServerConfigSchema>;

export const httpLoadConfigSchema = z.strictObject({
  url: z.string().url(),
  rate: z.union([z.literal('max'), z.number().positive()]),
  connections: z.number().int().min(1),
  warmupS: z.number().min(0),
  durationS: z.number().positive(),
  timeoutS: z.number().positive(),
});
export type HttpLoadConfig = z.infer<typeof httpLoadConfigSchema>;

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
