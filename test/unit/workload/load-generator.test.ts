import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NetbenchError } from '../../../src/core/errors.js';
import { decodeHistogram, summarize } from '../../../src/stats/histogram.js';
import { startEchoServer, type EchoServer } from '../../../src/workload/http/echo-server.js';
import { runHttpLoad } from '../../../src/workload/http/load-generator.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function echo(payloadBytes = 100): Promise<EchoServer> {
  const s = await startEchoServer({ port: 0, host: '127.0.0.1', payloadBytes });
  cleanups.push(() => s.close());
  return s;
}

async function server(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const s: Server = createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  );
  return (s.address() as AddressInfo).port;
}

describe('HTTP load generator', () => {
  it('sends exactly the scheduled requests of the measured window at a fixed rate, excluding warm-up', async () => {
    const s = await echo();
    const r = await runHttpLoad({
      url: `http://127.0.0.1:${s.port}/`,
      rate: 200,
      connections: 4,
      warmupS: 0.2,
      durationS: 1,
      timeoutS: 2,
    });
    expect(r.mode).toBe('open-loop');
    expect(r.requestedRps).toBe(200);
    // 240 intended send times in 1.2 s at 5 ms spacing; the first 40 fall in the warm-up.
    expect(r.requests.scheduled).toBe(200);
    expect(r.requests.sent).toBe(200);
    expect(r.requests.completed).toBe(200);
    expect(r.requests.errors + r.requests.timeouts).toBe(0);
    expect(summarize(decodeHistogram(r.histograms.latencyUs)).count).toBe(200);
    expect(r.bytesReceived).toBeGreaterThanOrEqual(200 * 100);
  });

  it('measures latency from the intended send time, never less than from the actual send', async () => {
    const s = await echo();
    const r = await runHttpLoad({
      url: `http://127.0.0.1:${s.port}/`,
      rate: 300,
      connections: 2,
      warmupS: 0,
      durationS: 0.5,
      timeoutS: 2,
    });
    const corrected = summarize(decodeHistogram(r.histograms.latencyUs));
    const service = summarize(decodeHistogram(r.histograms.serviceLatencyUs));
    expect(corrected.count).toBe(service.count);
    expect(corrected.mean).toBeGreaterThanOrEqual(service.mean);
    expect(corrected.max).toBeGreaterThanOrEqual(service.max);
  });

  it('counts the queueing behind a slow server (coordinated omission corrected)', async () => {
    // One connection, 40 ms per response, 100 requests/s asked: the server can do 25/s, so
    // requests queue and their latency from the intended time grows far beyond the service time.
    const port = await server((_req, res) => {
      setTimeout(() => res.end('ok'), 40);
    });
    const r = await runHttpLoad({
      url: `http://127.0.0.1:${port}/`,
      rate: 100,
      connections: 1,
      warmupS: 0,
      durationS: 0.5,
      timeoutS: 5,
    });
    const corrected = summarize(decodeHistogram(r.histograms.latencyUs));
    const service = summarize(decodeHistogram(r.histograms.serviceLatencyUs));
    expect(r.requests.completed).toBe(50);
    expect(corrected.p90).toBeGreaterThan(3 * service.p90);
  });

  it('counts HTTP error statuses as errors, by kind, not as latency samples', async () => {
    // Priming requires a healthy server, so only the measured requests fail.
    let calls = 0;
    const healthyFirst = await server((_req, res) => {
      calls += 1;
      res.statusCode = calls <= 2 ? 200 : 503;
      res.end('x');
    });
    const r = await runHttpLoad({
      url: `http://127.0.0.1:${healthyFirst}/`,
      rate: 100,
      connections: 2,
      warmupS: 0,
      durationS: 0.3,
      timeoutS: 2,
    });
    expect(r.requests.errors).toBe(30);
    expect(r.errorKinds).toEqual({ http_503: 30 });
    expect(r.requests.completed).toBe(0);
  });

  it('counts requests without an answer within the timeout as timeouts', async () => {
    let answered = 0;
    const port = await server((_req, res) => {
      answered += 1;
      if (answered <= 2) res.end('primed'); // the two priming requests
      // every later request hangs
    });
    const r = await runHttpLoad({
      url: `http://127.0.0.1:${port}/`,
      rate: 20,
      connections: 2,
      warmupS: 0,
      durationS: 0.5,
      timeoutS: 0.3,
    });
    expect(r.requests.completed).toBe(0);
    expect(r.requests.scheduled).toBe(10);
    expect(r.requests.timeouts).toBe(10);
  });

  it('runs closed loop at full speed when the rate is max', async () => {
    const s = await echo();
    const r = await runHttpLoad({
      url: `http://127.0.0.1:${s.port}/`,
      rate: 'max',
      connections: 2,
      warmupS: 0.1,
      durationS: 0.5,
      timeoutS: 2,
    });
    expect(r.mode).toBe('closed-loop');
    expect(r.requestedRps).toBeNull();
    expect(r.requests.completed).toBeGreaterThan(0);
    expect(r.requests.scheduled).toBe(0);
  });

  it('fails clearly when nothing listens at the target', async () => {
    const port = await server(() => undefined);
    // Free the port again so the connection is refused.
    await cleanups.pop()?.();
    const attempt = runHttpLoad({
      url: `http://127.0.0.1:${port}/`,
      rate: 10,
      connections: 1,
      warmupS: 0,
      durationS: 0.2,
      timeoutS: 1,
    });
    await expect(attempt).rejects.toBeInstanceOf(NetbenchError);
    await expect(attempt).rejects.toMatchObject({ code: 'NB_WORKLOAD_FAILED' });
    await expect(attempt).rejects.toThrow(/ECONNREFUSED/);
  });

  it('stops with NB_INTERRUPTED when aborted', async () => {
    const s = await echo();
    const controller = new AbortController();
    const attempt = runHttpLoad({
      url: `http://127.0.0.1:${s.port}/`,
      rate: 50,
      connections: 1,
      warmupS: 0,
      durationS: 30,
      timeoutS: 1,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 200);
    await expect(attempt).rejects.toMatchObject({ code: 'NB_INTERRUPTED' });
  });
});
