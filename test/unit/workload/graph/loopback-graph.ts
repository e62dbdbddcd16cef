/** Runs a whole graph of graph services on loopback (one process, port 0 each) for tests. */
import { request } from 'undici';
import type {
  GraphServiceConfig,
  GraphServiceResult,
} from '../../../../src/agent/agent-protocol.js';
import {
  startGraphService,
  type GraphService,
} from '../../../../src/workload/graph/graph-service.js';
import type { GraphSpec } from '../../../../src/spec/graph-spec.js';
import { serviceConfigs } from '../../../../src/workload/graph/graph-workload.js';

export interface LoopbackGraph {
  services: Map<string, GraphService>;
  /** One request to the entry: its status and the client's own latency, µs. */
  get(): Promise<{ status: number; latencyUs: number }>;
  startWindow(): void;
  endWindow(): GraphServiceResult[];
  close(): Promise<void>;
}

export async function startLoopbackGraph(
  g: GraphSpec,
  options: { timeoutMs?: number; traceEvery?: number; urlOverride?: Record<string, string> } = {},
): Promise<LoopbackGraph> {
  const configs = serviceConfigs(g, { connections: 2 }, () => '127.0.0.1', {
    timeoutMs: options.timeoutMs ?? 2000,
    traceEvery: options.traceEvery ?? 1,
  });
  const services = new Map<string, GraphService>();
  for (const c of configs) {
    const config: GraphServiceConfig = {
      ...c,
      port: 0,
      callees: c.callees.map((callee) => ({
        ...callee,
        endpoints: callee.endpoints.map((e) => ({
          pod: e.pod,
          url: options.urlOverride?.[e.pod] ?? `http://127.0.0.1:${services.get(e.pod)!.port}/`,
        })),
      })),
    };
    services.set(c.pod, await startGraphService(config, '127.0.0.1'));
  }
  const entry = services.get(g.entry)!;
  return {
    services,
    async get() {
      const started = process.hrtime.bigint();
      const res = await request(`http://127.0.0.1:${entry.port}/`);
      await res.body.arrayBuffer();
      return {
        status: res.statusCode,
        latencyUs: Number(process.hrtime.bigint() - started) / 1000,
      };
    },
    startWindow: () => services.forEach((s) => s.startWindow()),
    endWindow: () => [...services.values()].map((s) => s.endWindow()),
    close: async () => {
      await Promise.all([...services.values()].map((s) => s.close()));
    },
  };
}
