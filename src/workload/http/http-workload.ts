/**
 * The http workload, runner side: an echo server in the `server` pod, the open-loop generator in
 * the `client` pod, both as netbench agents; the generator's histograms come back encoded and
 * are summarised here.
 */
import { NetbenchError } from '../../core/errors.js';
import { decodeHistogram, summarize } from '../../stats/histogram.js';
import type { HttpLoadConfig, HttpServerConfig } from '../agent-protocol.js';
import { watchAgent } from '../agent-process.js';
import type { RepetitionMeasurement, Workload, WorkloadContext } from '../workload.js';
import type { HttpLoadResult } from './load-generator.js';
import { judgeGenerator } from './validity.js';

export const httpServerPort = 8080;

export const httpWorkload: Workload = {
  async run(ctx: WorkloadContext): Promise<RepetitionMeasurement> {
    const { environment: env, dimensions: d } = ctx;
    const serverConfig: HttpServerConfig = { port: httpServerPort, payloadBytes: d.payload };
    const server = await env.start(
      'server',
      { kind: 'agent', args: ['http-server', '--config', JSON.stringify(serverConfig)] },
      ctx.signal === undefined ? {} : { signal: ctx.signal },
    );
    const serverWatch = watchAgent(server, 'the HTTP server in pod "server"');
    try {
      await serverWatch.next('ready', 15_000);
      const target = env.targetAddress('server', httpServerPort);
      const loadConfig: HttpLoadConfig = {
        url: `http://${target.host}:${target.port}/`,
        rate: d.rate,
        connections: d.connections,
        warmupS: ctx.warmupS,
        durationS: ctx.durationS,
        timeoutS: ctx.timeoutS,
      };
      const client = await env.start(
        'client',
        { kind: 'agent', args: ['http-load', '--config', JSON.stringify(loadConfig)] },
        ctx.signal === undefined ? {} : { signal: ctx.signal },
      );
      const clientWatch = watchAgent(client, 'the load generator in pod "client"', (e) => {
        if (e.event === 'progress') ctx.onProgress?.(e);
      });
      const budgetMs = (ctx.warmupS + ctx.durationS + ctx.timeoutS) * 1000 + 30_000;
      const event = await clientWatch.next('result', budgetMs);
      await clientWatch.done;
      if (event.event !== 'result') throw new Error('unreachable');
      return measurementOf(event.result as HttpLoadResult);
    } catch (error) {
      if (ctx.signal?.aborted === true) {
        throw new NetbenchError('NB_INTERRUPTED', 'interrupted during the http workload');
      }
      throw error;
    } finally {
      server.kill('SIGTERM');
      await Promise.race([serverWatch.done, new Promise((r) => setTimeout(r, 3000).unref())]);
      server.kill('SIGKILL');
    }
  },
};

export function measurementOf(r: HttpLoadResult): RepetitionMeasurement {
  const latency = summarize(decodeHistogram(r.histograms.latencyUs));
  const service = summarize(decodeHistogram(r.histograms.serviceLatencyUs));
  const lag = summarize(decodeHistogram(r.histograms.scheduleLagUs));
  return {
    mode: r.mode,
    requestedRps: r.requestedRps,
    achievedRps: r.achievedRps,
    durationS: r.measuredDurationS,
    latencyUs: latency,
    serviceLatencyUs: service,
    scheduleLagUs: lag,
    requests: r.requests,
    errors: r.requests.errors,
    timeouts: r.requests.timeouts,
    errorKinds: r.errorKinds,
    generator: r.generator,
    histograms: {
      latencyUs: r.histograms.latencyUs,
      serviceLatencyUs: r.histograms.serviceLatencyUs,
      scheduleLagUs: r.histograms.scheduleLagUs,
    },
    invalidReasons: judgeGenerator({ ...r, scheduleLagUs: lag }),
  };
}
