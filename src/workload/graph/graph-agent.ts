/**
 * `netbench agent graph-service`: runs one graph service in a pod until stopped. Reads window
 * commands on stdin (`{"window":"start"}`, `{"window":"end"}`) and answers `end` with a `result`
 * event carrying what the service recorded in between.
 */
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { AgentEvent, GraphServiceConfig } from '../../agent/agent-protocol.js';
import { startGraphService } from './graph-service.js';

export async function runGraphServiceAgent(
  config: GraphServiceConfig,
  io: { stdin?: Readable; signal: AbortSignal },
  emit: (event: AgentEvent) => void,
): Promise<void> {
  const service = await startGraphService(config);
  emit({ event: 'ready', port: service.port });
  if (io.stdin !== undefined) {
    const lines = createInterface({ input: io.stdin });
    lines.on('line', (line) => {
      const command = parseWindowCommand(line);
      if (command === 'start') service.startWindow();
      if (command === 'end') emit({ event: 'result', result: service.endWindow() });
    });
    io.signal.addEventListener('abort', () => lines.close(), { once: true });
  }
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await service.close();
  emit({ event: 'stopped', served: service.served() });
}

/** The window command of one stdin line, or undefined for anything else. */
export function parseWindowCommand(line: string): 'start' | 'end' | undefined {
  try {
    const parsed = JSON.parse(line) as { window?: unknown };
    return parsed.window === 'start' || parsed.window === 'end' ? parsed.window : undefined;
  } catch {
    return undefined;
  }
}
