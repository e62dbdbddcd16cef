/**
 * `netbench agent policy-agent`, run in each pod by `policy verify`: serves the ports probed on
 * this pod until stopped, and runs each probe request read from stdin (one JSON line per round),
 * answering with a `result` event `{ round, outcomes }`.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import {
  policyProbeRequestSchema,
  type AgentEvent,
  type PolicyAgentConfig,
} from '../../agent/agent-protocol.js';
import { runProbes } from './probe-client.js';
import { startProbeServer } from './probe-server.js';

export interface PolicyAgentIo {
  stdin?: Readable;
  signal: AbortSignal;
}

export async function runPolicyAgent(
  config: PolicyAgentConfig,
  io: PolicyAgentIo,
  emit: (event: AgentEvent) => void,
): Promise<void> {
  if (io.stdin === undefined) throw new Error('policy-agent needs stdin for probe requests');
  const server = await startProbeServer({
    ...config,
    onSctpProbe: (probe, port) => emit({ event: 'received', probe, port }),
  });
  emit({ event: 'ready', port: config.tcpPorts[0] ?? config.udpPorts[0] ?? 0 });
  const lines = createInterface({ input: io.stdin });
  const pending: Promise<void>[] = [];
  lines.on('line', (line) => {
    const request = policyProbeRequestSchema.safeParse(safeJson(line));
    if (!request.success) {
      emit({
        event: 'error',
        code: 'NB_USAGE_BAD_FLAG',
        message: `policy-agent: bad probe request: ${line.slice(0, 80)}`,
      });
      return;
    }
    const { round, targets, timeoutMs, concurrency } = request.data;
    pending.push(
      runProbes(targets, timeoutMs, concurrency).then((outcomes) =>
        emit({ event: 'result', result: { round, outcomes } }),
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
  emit({ event: 'stopped', served: counts.tcpAccepted + counts.udpEchoed });
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
