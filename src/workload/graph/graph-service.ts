/**
 * The graph service agent: an HTTP server in each service's pod. Per request it spends the
 * declared service time, calls its callees (one after another, or all at once and waits for
 * all), then answers with the declared payload, or with 502 (a callee failed) or 504 (a callee
 * timed out), so errors travel back up the graph as they do between real services. It records
 * its own server-side latency and each call's latency in HDR histograms, and keeps the spans of
 * sampled requests (the entry starts a trace every `traceEvery` requests) so the runner can
 * attribute a request's time to hops.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  GraphServiceConfig,
  GraphServiceResult,
  GraphSpan,
} from '../../agent/agent-protocol.js';
import {
  createHistogram,
  encodeHistogram,
  recordMicros,
  type Histogram,
} from '../../stats/histogram.js';
import { createCallers, traceHeader, type CallOutcome } from './graph-calls.js';

/** Spans kept per service and window; beyond it they are counted as dropped. */
export const maxSpansPerWindow = 20_000;

export interface GraphService {
  readonly port: number;
  /** Starts recording (the measured window begins): clears what was recorded before. */
  startWindow(): void;
  /** Stops recording and returns what was recorded since startWindow. */
  endWindow(): GraphServiceResult;
  served(): number;
  close(): Promise<void>;
}

const usSince = (startNs: bigint, endNs: bigint): number => Number(endNs - startNs) / 1000;

/** Spends `us` microseconds: spinning (the event loop is blocked, as CPU work blocks it) or asleep. */
async function spend(us: number, kind: GraphServiceConfig['serviceTime']): Promise<void> {
  if (us <= 0) return;
  if (kind === 'sleep') {
    // Node timers have millisecond resolution and fire late; a sleep is at least `us`.
    await new Promise((r) => setTimeout(r, Math.max(1, Math.round(us / 1000))));
    return;
  }
  const until = process.hrtime.bigint() + BigInt(Math.round(us * 1000));
  while (process.hrtime.bigint() < until) {
    // busy: this is the work
  }
}

export async function startGraphService(
  config: GraphServiceConfig,
  host = '0.0.0.0',
): Promise<GraphService> {
  const body = Buffer.alloc(config.payloadBytes, 'x');
  const callers = createCallers(config);
  let served = 0;
  let sequence = 0;
  let window = freshWindow();

  const callAll = async (trace: number | undefined): Promise<CallOutcome[]> => {
    if (config.callMode === 'parallel') {
      return Promise.all(config.callees.map((c) => callers.call(c.service, trace)));
    }
    const out: CallOutcome[] = [];
    for (const c of config.callees) {
      const o = await callers.call(c.service, trace);
      out.push(o);
      // A failed call ends the request, as an exception would in the caller's code.
      if (!o.ok) break;
    }
    return out;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrivedNs = process.hrtime.bigint();
    req.resume();
    const header = req.headers[traceHeader];
    sequence += 1;
    const trace = config.entry
      ? sequence % config.traceEvery === 0
        ? sequence
        : undefined
      : typeof header === 'string'
        ? Number(header)
        : undefined;
    await spend(config.serviceTimeUs, config.serviceTime);
    const workUs = usSince(arrivedNs, process.hrtime.bigint());
    const calls = await callAll(trace);
    const failed = calls.find((c) => !c.ok);
    const status = failed === undefined ? 200 : failed.timeout ? 504 : 502;
    const payload =
      failed === undefined ? body : Buffer.from(`${failed.service}: ${failed.kind ?? 'error'}`);
    res.writeHead(status, {
      'content-type': 'application/octet-stream',
      'content-length': payload.length,
    });
    res.end(payload);
    served += 1;
    const endNs = process.hrtime.bigint();
    if (!callers.recording) return;
    window.requests += 1;
    if (failed !== undefined) window.failed += 1;
    recordMicros(window.serverUs, usSince(arrivedNs, endNs));
    if (trace === undefined || Number.isNaN(trace)) return;
    if (window.spans.length >= maxSpansPerWindow) {
      window.spansDropped += 1;
      return;
    }
    window.spans.push({
      trace,
      atUs: Number(arrivedNs / 1000n),
      serverUs: usSince(arrivedNs, endNs),
      workUs,
      calls: calls.map((c) => ({
        service: c.service,
        pod: c.pod,
        startUs: usSince(arrivedNs, c.startNs),
        durationUs: usSince(c.startNs, c.endNs),
        ok: c.ok,
      })),
      ok: failed === undefined,
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  server.keepAliveTimeout = 300_000;
  server.headersTimeout = 301_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, () => resolve());
  });

  return {
    port: (server.address() as AddressInfo).port,
    startWindow() {
      window = freshWindow();
      callers.resetTallies();
      callers.recording = true;
    },
    endWindow() {
      callers.recording = false;
      return {
        service: config.service,
        pod: config.pod,
        requests: window.requests,
        failed: window.failed,
        serverUs: encodeHistogram(window.serverUs),
        edges: callers.tallies().map((t) => ({
          to: t.to,
          toPod: t.toPod,
          calls: t.calls,
          errors: t.errors,
          timeouts: t.timeouts,
          errorKinds: t.errorKinds,
          callUs: encodeHistogram(t.callUs),
        })),
        spans: window.spans,
        spansDropped: window.spansDropped,
      };
    },
    served: () => served,
    async close() {
      await callers.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

interface Window {
  requests: number;
  failed: number;
  serverUs: Histogram;
  spans: GraphSpan[];
  spansDropped: number;
}

function freshWindow(): Window {
  return { requests: 0, failed: 0, serverUs: createHistogram(), spans: [], spansDropped: 0 };
}
