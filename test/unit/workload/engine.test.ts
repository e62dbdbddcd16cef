import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadRecord } from '../../../src/results/schema.js';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  recordMicros,
  summarize,
} from '../../../src/stats/histogram.js';
import type { EngineResult } from '../../../src/workload/engine/open-loop.js';
import { mergeEngineResults, runLoad } from '../../../src/workload/engine/run-load.js';
import { judgeGenerator } from '../../../src/workload/engine/validity.js';
import { startEchoServer, type EchoServer } from '../../../src/workload/http/echo-server.js';
import { measurementOf } from '../../../src/workload/request-workload.js';
import { startTcpServer, type TcpServer } from '../../../src/workload/tcp/tcp-server.js';

const load: LoadRecord = { spec: 500, fraction: null, offered: 500, unit: 'rps', capacity: null };
const short = { warmupS: 0.2, durationS: 1, timeoutS: 2 };

let h1: EchoServer;
let h2: EchoServer;
let crr: TcpServer;
beforeAll(async () => {
  h1 = await startEchoServer({ port: 0, host: '127.0.0.1', payloadBytes: 64 });
  h2 = await startEchoServer({ port: 0, host: '127.0.0.1', payloadBytes: 64, protocol: 'h2c' });
  crr = await startTcpServer({ port: 0, host: '127.0.0.1', mode: 'crr', messageBytes: 64 });
});
afterAll(async () => {
  await Promise.all([h1.close(), h2.close(), crr.close()]);
});

describe('a deliberately starved generator', () => {
  it('marks its repetition invalid with the reasons instead of reporting the latency', async () => {
    // A co-tenant on the generator's event loop: 20 ms of busy work, over and over.
    let hogging = true;
    const hog = (): void => {
      const until = performance.now() + 20;
      while (performance.now() < until) {
        // burn the loop
      }
      if (hogging) setTimeout(hog, 0);
    };
    setTimeout(hog, 0);
    let result;
    try {
      result = await runLoad({
        config: {
          transport: {
            kind: 'http1',
            url: `http://127.0.0.1:${h1.port}/`,
            connections: 2,
            close: false,
          },
          rate: 500,
          ...short,
        },
      });
    } finally {
      hogging = false;
    }
    const m = measurementOf(result, load, undefined);
    expect(m.requests?.completed).toBeGreaterThan(0);
    const reasons = m.invalidReasons.join('\n');
    expect(reasons).toMatch(/could not keep its schedule/);
    expect(reasons).toMatch(/event loop was busy/);
  });
});

describe('judgeGenerator', () => {
  const calm = {
    mode: 'open-loop' as const,
    requests: { scheduled: 10, sent: 10, completed: 10, errors: 0, timeouts: 0, unsent: 0 },
    generator: { cpuPercent: 30, threads: 1, eventLoopUtilization: 0.3 },
    scheduleLagUs: {
      count: 10,
      min: 1,
      mean: 50,
      stdev: 1,
      p50: 40,
      p90: 90,
      p99: 200,
      p999: 300,
      max: 300,
    },
  };

  it('accepts a generator that kept its schedule with room to spare', () => {
    expect(judgeGenerator(calm)).toEqual([]);
  });

  it('allows one saturated core per thread before calling the generator saturated', () => {
    expect(
      judgeGenerator({ ...calm, generator: { ...calm.generator, cpuPercent: 200, threads: 2 } }),
    ).toEqual([]);
    expect(
      judgeGenerator({ ...calm, generator: { ...calm.generator, cpuPercent: 200, threads: 1 } }),
    ).toHaveLength(1);
  });

  it('blames the generator for an undelivered rate when it was the busy side', () => {
    const short = { ...calm, requestedRps: 20_000, achievedRps: 17_900 };
    const busy = { ...short, generator: { ...calm.generator, eventLoopUtilization: 0.84 } };
    const reasons = judgeGenerator(busy);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(
      /delivered 90% of the requested rate while its event loop was busy 84%/,
    );
    // A generator waiting on a slow server is idle: the shortfall is the path's, a finding.
    expect(judgeGenerator(short)).toEqual([]);
    // The rate delivered: nothing piled up, however busy the loop.
    expect(judgeGenerator({ ...busy, achievedRps: 19_900 })).toEqual([]);
  });

  it('does not judge closed loop on timing, only on completions', () => {
    const busy = {
      ...calm,
      mode: 'closed-loop' as const,
      generator: { cpuPercent: 150, eventLoopUtilization: 1 },
    };
    expect(judgeGenerator(busy)).toEqual([]);
    expect(judgeGenerator({ ...busy, requests: { ...busy.requests, completed: 0 } })[0]).toMatch(
      /no request completed/,
    );
  });
});

describe('transports', () => {
  it('HTTP/1.1 connection-per-request opens one TCP connection per request', async () => {
    let connections = 0;
    let requests = 0;
    const server = createHttpServer((req, res) => {
      requests += 1;
      req.resume();
      res.end('ok');
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const closing = await runLoad({
        config: {
          transport: { kind: 'http1', url, connections: 2, close: true },
          rate: 'max',
          ...short,
        },
      });
      expect(closing.requests.completed).toBeGreaterThan(0);
      expect(closing.errorKinds).toEqual({});
      expect(connections).toBe(requests);

      connections = 0;
      requests = 0;
      const keepAlive = await runLoad({
        config: {
          transport: { kind: 'http1', url, connections: 2, close: false },
          rate: 'max',
          ...short,
        },
      });
      expect(keepAlive.requests.completed).toBeGreaterThan(2);
      expect(connections).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('HTTP/2 multiplexes streams over its sessions', async () => {
    const r = await runLoad({
      config: {
        transport: { kind: 'h2c', url: `http://127.0.0.1:${h2.port}/`, connections: 2, streams: 4 },
        rate: 'max',
        ...short,
      },
    });
    expect(r.engine).toBe('netbench-http2');
    expect(r.requests.completed).toBeGreaterThan(0);
    expect(r.requests.errors).toBe(0);
    expect(r.bytesReceived).toBeGreaterThanOrEqual(r.requests.completed * 64);
  });

  it('TCP CRR completes connect-request-response-close transactions', async () => {
    const before = crr.served();
    const r = await runLoad({
      config: {
        transport: {
          kind: 'tcp',
          host: '127.0.0.1',
          port: crr.port,
          mode: 'crr',
          connections: 2,
          messageBytes: 64,
        },
        rate: 'max',
        ...short,
      },
    });
    expect(r.engine).toBe('netbench-tcp');
    expect(r.requests.completed).toBeGreaterThan(0);
    expect(r.requests.errors).toBe(0);
    expect(crr.served() - before).toBeGreaterThanOrEqual(r.requests.completed);
  });

  it('names an unreachable server in NB_WORKLOAD_FAILED', async () => {
    const error = await runLoad({
      config: {
        transport: {
          kind: 'tcp',
          host: '127.0.0.1',
          port: 1,
          mode: 'crr',
          connections: 1,
          messageBytes: 64,
        },
        rate: 'max',
        ...short,
      },
    }).catch((e: unknown) => e as { code: string; message: string });
    expect(error).toMatchObject({ code: 'NB_WORKLOAD_FAILED' });
    expect((error as { message: string }).message).toMatch(/127\.0\.0\.1:1 did not answer/);
  });
});

describe('worker threads', () => {
  it('split one schedule over threads and merge what they measured', async () => {
    const r = await runLoad({
      config: {
        transport: {
          kind: 'http1',
          url: `http://127.0.0.1:${h1.port}/`,
          connections: 2,
          close: false,
        },
        rate: 400,
        threads: 2,
        ...short,
      },
    });
    expect(r.generator.threads).toBe(2);
    // Every request of the window scheduled exactly once across the two threads.
    expect(r.requests.scheduled).toBe(400 * short.durationS);
    expect(decodeHistogram(r.histograms.latencyUs).totalCount).toBe(r.requests.completed);
  });

  it('merges histograms, never averages percentiles', () => {
    const result = (us: number): EngineResult => {
      const h = createHistogram();
      for (let i = 0; i < 100; i++) recordMicros(h, us);
      const encoded = encodeHistogram(h);
      return {
        mode: 'open-loop',
        requestedRps: 100,
        achievedRps: 50,
        measuredDurationS: 1,
        requests: { scheduled: 100, sent: 100, completed: 100, errors: 0, timeouts: 0, unsent: 0 },
        errorKinds: { x: 1 },
        bytesReceived: 10,
        histograms: { latencyUs: encoded, serviceLatencyUs: encoded, scheduleLagUs: encoded },
        generator: {
          cpuPercent: 10,
          eventLoopDelayP99Us: us,
          eventLoopDelayMaxUs: us,
          threads: 1,
          eventLoopUtilization: us / 10_000,
        },
      };
    };
    const merged = mergeEngineResults([result(10), result(1000)], 42);
    const latency = summarize(decodeHistogram(merged.histograms.latencyUs));
    expect(latency.count).toBe(200);
    expect(latency.p50).toBe(10);
    expect(latency.p90).toBeGreaterThanOrEqual(1000);
    expect(merged.achievedRps).toBe(100);
    expect(merged.errorKinds).toEqual({ x: 2 });
    expect(merged.generator).toMatchObject({
      cpuPercent: 42,
      threads: 2,
      eventLoopUtilization: 0.1,
    });
  });
});
