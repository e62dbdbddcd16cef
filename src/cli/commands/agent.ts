/**
 * `netbench agent …`: the side of netbench that runs inside a pod. Hidden from --help; the
 * runner starts it through the platform (lab: `ip netns exec`). Speaks agent-protocol.ts.
 */
import type { Writable } from 'node:stream';
import type { AgentIo, AgentMain } from '../../agent/agent-io.js';
import { NetbenchError } from '../../core/errors.js';
import { runPolicyAgent } from '../../policy/probe/policy-agent.js';
import {
  httpServerConfigSchema,
  loadConfigSchema,
  policyAgentConfigSchema,
  tcpServerConfigSchema,
  type AgentEvent,
} from '../../agent/agent-protocol.js';
import { runLoad } from '../../workload/engine/run-load.js';
import { startEchoServer } from '../../workload/http/echo-server.js';
import { startTcpServer } from '../../workload/tcp/tcp-server.js';

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

export const runAgent: AgentMain = async (command, configJson, io) => {
  switch (command) {
    case 'http-server': {
      const config = parseConfig(httpServerConfigSchema, configJson);
      await serveUntilAborted(io, () =>
        startEchoServer({
          port: config.port,
          payloadBytes: config.payloadBytes,
          protocol: config.protocol,
        }),
      );
      return;
    }
    case 'tcp-server': {
      const config = parseConfig(tcpServerConfigSchema, configJson);
      await serveUntilAborted(io, () => startTcpServer(config));
      return;
    }
    case 'load': {
      const config = parseConfig(loadConfigSchema, configJson);
      const result = await runLoad({
        config,
        signal: io.signal,
        onProgress: (p) => emit(io.stderr, { event: 'progress', ...p }),
        onWindow: (phase) => emit(io.stdout, { event: 'window', phase }),
      });
      emit(io.stdout, { event: 'result', result });
      return;
    }
    case 'policy-agent': {
      const config = parseConfig(policyAgentConfigSchema, configJson);
      await runPolicyAgent(config, io, (event) =>
        emit(event.event === 'error' ? io.stderr : io.stdout, event),
      );
      return;
    }
  }
};

async function serveUntilAborted(
  io: AgentIo,
  start: () => Promise<{ port: number; served(): number; close(): Promise<void> }>,
): Promise<void> {
  const server = await start();
  emit(io.stdout, { event: 'ready', port: server.port });
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  emit(io.stdout, { event: 'stopped', served: server.served() });
}
