/**
 * `netbench agent …`: the side of netbench that runs inside a pod. Hidden from --help; the
 * runner starts it through the platform (lab: `ip netns exec`). Speaks agent-protocol.ts.
 */
import type { Readable, Writable } from 'node:stream';
import { NetbenchError } from '../core/errors.js';
import { runProbes } from '../policy/probe/probe-client.js';
import { startProbeServer } from '../policy/probe/probe-server.js';
import { createInterface } from 'node:readline';
import {
  httpLoadConfigSchema,
  httpServerConfigSchema,
  policyAgentConfigSchema,
  policyProbeRequestSchema,
  type PolicyAgentConfig,
  type AgentEvent,
} from './agent-protocol.js';
import { startEchoServer } from './http/echo-server.js';
import { runHttpLoad } from './http/load-generator.js';

export interface AgentIo {
  stdout: Pick<Writable, 'write'>;
  stderr: Pick<Writable, 'write'>;
  /** Requests from the runner (policy-agent reads probe requests here). */
  stdin?: Readable;
  /** Aborted on SIGTERM/SIGINT. */
  signal: AbortSignal;
}

export const agentCommands = ['http-server', 'http-load', 'policy-agent'] as const;
export type AgentCommand = (typeof agentCommands)[number];

function emit(stream: Pick<Writable, 'write'>, event: AgentEvent): void {
  stream.write(`${JSON.stringify(event)}\n`);
}

function parseConfig<T>(
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: T } | { success: false; error: { message: string } };
  },
  json: string,
): T {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `agent --config is not JSON: ${json.slice(0, 80)}`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `agent --config is invalid: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

export async function runAgent(
  command: AgentCommand,
  configJson: string,
  io: AgentIo,
): Promise<void> {
  switch (command) {
    case 'http-server': {
      const config = parseConfig(httpServerConfigSchema, configJson);
      const server = await startEchoServer({
        port: config.port,
        payloadBytes: config.payloadBytes,
      });
      emit(io.stdout, { event: 'ready', port: server.port });
      await new Promise<void>((resolve) => {
        if (io.signal.aborted) resolve();
        io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await server.close();
      emit(io.stdout, { event: 'stopped', served: server.served() });
      return;
    }
    case 'http-load': {
      const config = parseConfig(httpLoadConfigSchema, configJson);
      const result = await runHttpLoad({
        ...config,
        signal: io.signal,
        onProgress: (p) => emit(io.stderr, { event: 'progress', ...p }),
      });
      emit(io.stdout, { event: 'result', result });
      return;
    }
    case 'policy-agent': {
      const config = parseConfig(policyAgentConfigSchema, configJson);
      await runPolicyAgent(config, io);
      return;
    }
  }
}

/** Serves the probed ports until stopped, and runs each probe request read from stdin. */
async function runPolicyAgent(config: PolicyAgentConfig, io: AgentIo): Promise<void> {
  const server = await startProbeServer({
    ...config,
    onSctpProbe: (probe, port) => emit(io.stdout, { event: 'received', probe, port }),
  });
  emit(io.stdout, { event: 'ready', port: config.tcpPorts[0] ?? config.udpPorts[0] ?? 0 });
  if (io.stdin === undefined) throw new Error('policy-agent needs stdin for probe requests');
  const lines = createInterface({ input: io.stdin });
  const pending: Promise<void>[] = [];
  lines.on('line', (line) => {
    const request = policyProbeRequestSchema.safeParse(safeJson(line));
    if (!request.success) {
      emit(io.stderr, {
        event: 'error',
        code: 'NB_USAGE_BAD_FLAG',
        message: `policy-agent: bad probe request: ${line.slice(0, 80)}`,
      });
      return;
    }
    const { round, targets, timeoutMs, concurrency } = request.data;
    pending.push(
      runProbes(targets, timeoutMs, concurrency).then((outcomes) =>
        emit(io.stdout, { event: 'result', result: { round, outcomes } }),
      ),
    );
  });
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
    lines.once('close', () => resolve());
  });
  lines.close();
  await Promise.allSettled(pending);
  await server.close();
  const counts = server.counts();
  emit(io.stdout, { event: 'stopped', served: counts.tcpAccepted + counts.udpEchoed });
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
