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
