/**
 * A graph service's outgoing calls: one undici Pool of keep-alive connections per callee pod,
 * requests spread round robin over a callee's pods (what a headless Service, or a sidecar that
 * picks endpoints itself, does), each call timed and recorded per edge (caller → callee pod).
 */
import { Pool } from 'undici';
import type { GraphServiceConfig } from '../../agent/agent-protocol.js';
import { createHistogram, recordMicros, type Histogram } from '../../stats/histogram.js';

/** Header that carries a sampled request's trace id from service to service. */
export const traceHeader = 'x-nb-trace';

/** What one call did, as the caller saw it. */
export interface CallOutcome {
  service: string;
  pod: string;
  startNs: bigint;
  endNs: bigint;
  ok: boolean;
  timeout: boolean;
  kind?: string;
}

/** Counts and latency of one edge over the recorded window. */
export interface EdgeTally {
  to: string;
  toPod: string;
  calls: number;
  errors: number;
  timeouts: number;
  errorKinds: Record<string, number>;
  callUs: Histogram;
}

const timeoutCodes = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface Endpoint {
  service: string;
  pod: string;
  pool: Pool;
}

export interface Callers {
  /** Calls one pod of `service` (the next in round robin). */
  call(service: string, trace: number | undefined): Promise<CallOutcome>;
  /** Starts a new recording window: fresh tallies for every edge. */
  resetTallies(): void;
  tallies(): EdgeTally[];
  /** Whether calls are being recorded (between window start and end). */
  recording: boolean;
  close(): Promise<void>;
}

export function createCallers(config: GraphServiceConfig): Callers {
  const endpoints = new Map<string, Endpoint[]>();
  for (const callee of config.callees) {
    endpoints.set(
      callee.service,
      callee.endpoints.map((e) => ({
        service: callee.service,
        pod: e.pod,
        pool: new Pool(new URL(e.url).origin, {
          connections: config.connections,
          pipelining: 1,
          keepAliveTimeout: 120_000,
          keepAliveMaxTimeout: 600_000,
          headersTimeout: config.timeoutMs,
          bodyTimeout: config.timeoutMs,
          connectTimeout: config.timeoutMs,
        }),
      })),
    );
  }
  const next = new Map<string, number>();
  let tallies = new Map<string, EdgeTally>();
  const tallyOf = (e: Endpoint): EdgeTally => {
    let t = tallies.get(e.pod);
    if (t === undefined) {
      t = {
        to: e.service,
        toPod: e.pod,
        calls: 0,
        errors: 0,
        timeouts: 0,
        errorKinds: {},
        callUs: createHistogram(),
      };
      tallies.set(e.pod, t);
    }
    return t;
  };

  const callers: Callers = {
    recording: false,
    async call(service, trace) {
      const pods = endpoints.get(service) ?? [];
      const i = next.get(service) ?? 0;
      next.set(service, (i + 1) % Math.max(1, pods.length));
      const e = pods[i];
      if (e === undefined) throw new Error(`no endpoint for ${service}`);
      const startNs = process.hrtime.bigint();
      let outcome: Omit<CallOutcome, 'endNs'>;
      try {
        const res = await e.pool.request({
          path: '/',
          method: 'GET',
          headers: trace === undefined ? {} : { [traceHeader]: String(trace) },
        });
        await res.body.arrayBuffer();
        outcome =
          res.statusCode >= 400
            ? {
                service,
                pod: e.pod,
                startNs,
                ok: false,
                timeout: res.statusCode === 504,
                kind: `http_${res.statusCode}`,
              }
            : { service, pod: e.pod, startNs, ok: true, timeout: false };
      } catch (error) {
        const code = (error as Error & { code?: string }).code ?? (error as Error).name;
        outcome = {
          service,
          pod: e.pod,
          startNs,
          ok: false,
          timeout: timeoutCodes.has(code),
          kind: code,
        };
      }
      const done: CallOutcome = { ...outcome, endNs: process.hrtime.bigint() };
      if (callers.recording) record(tallyOf(e), done);
      return done;
    },
    resetTallies() {
      tallies = new Map();
      for (const list of endpoints.values()) for (const e of list) tallyOf(e);
    },
    tallies: () => [...tallies.values()],
    async close() {
      await Promise.all(
        [...endpoints.values()].flat().map((e) => e.pool.destroy().catch(() => undefined)),
      );
    },
  };
  return callers;
}

function record(t: EdgeTally, o: CallOutcome): void {
  t.calls += 1;
  recordMicros(t.callUs, Number(o.endNs - o.startNs) / 1000);
  if (o.ok) return;
  if (o.timeout) t.timeouts += 1;
  else t.errors += 1;
  const kind = o.kind ?? 'error';
  t.errorKinds[kind] = (t.errorKinds[kind] ?? 0) + 1;
}
