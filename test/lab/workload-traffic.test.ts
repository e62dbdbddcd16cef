/**
 * Every workload through the real lab in one short run: load levels resolved against a probed
 * capacity, percentiles, throughput, UDP loss beside RcvbufErrors, per-pod CPU and memory, CSV.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepetitionRecord, Results } from '../../src/results/schema.js';
import { cli } from '../helpers/cli-context.js';
import { assertRoot, namespacesOf } from '../helpers/lab.js';

const scenario = `name: lab-traffic
repetitions: 1
warmup: 0.5s
duration: 1s
matrix:
  payload: 64
  connections: 2
exclude:
  - { workload: http, rate: 1000 }
include:
  - { workload: http, load: moderate, protocol: h2c, streams: 2 }
  - { workload: http, rate: 300, protocol: http1-close, threads: 2 }
  - { workload: tcp-rr, load: moderate, pinning: same-cpu }
  - { workload: tcp-crr, rate: 300 }
  - { workload: tcp-stream, bitrate: max, streams: 2 }
  - { workload: udp-stream, bitrate: 400Mbit }
`;

let dir: string;
let results: Results;
let csv: string;
const rep = (workload: string): RepetitionRecord => {
  const t = results.trials.find((x) => x.dimensions.workload === workload);
  const r = t?.repetitions[0];
  if (r === undefined) throw new Error(`no repetition of ${workload}`);
  return r;
};

beforeAll(async () => {
  assertRoot();
  dir = await mkdtemp(join(tmpdir(), 'nb-traffic-'));
  await writeFile(join(dir, 'traffic.yaml'), scenario);
  const out = await cli([
    'run',
    join(dir, 'traffic.yaml'),
    '--out',
    join(dir, 'out'),
    '--quiet',
    '--seed',
    '1',
  ]);
  results = JSON.parse(await readFile(join(dir, 'out', 'results.json'), 'utf8')) as Results;
  csv = await readFile(join(dir, 'out', 'results.csv'), 'utf8');
  if (out.exitCode !== 0) {
    const failed = results.trials.flatMap((t) =>
      t.repetitions.map((r) => `${t.id}: ${r.error?.message ?? r.status}`),
    );
    throw new Error(`netbench run exited ${out.exitCode}: ${out.stderr}\n${failed.join('\n')}`);
  }
});

afterAll(async () => {
  if (results !== undefined) expect(await namespacesOf(results.runId)).toEqual([]);
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('the traffic workloads in the lab', () => {
  it('measure every workload of the scenario', () => {
    expect(results.status).toBe('complete');
    expect(results.trials.map((t) => t.dimensions.workload).sort()).toEqual(
      ['http', 'http', 'tcp-crr', 'tcp-rr', 'tcp-stream', 'udp-stream'].sort(),
    );
    for (const t of results.trials) expect(t.repetitions[0]?.status).not.toBe('failed');
  });

  it('resolve a load level against the capacity a closed-loop probe measured on the same path', () => {
    const r = rep('tcp-rr');
    expect(r.load?.spec).toBe('moderate');
    expect(r.load?.fraction).toBe(0.5);
    expect(r.load?.capacity?.value).toBeGreaterThan(0);
    expect(r.load?.offered).toBe(Math.round(r.load!.capacity!.value * 0.5));
    expect(r.requestedRps).toBe(r.load?.offered);
    expect(r.engine).toBe('sockperf');
    expect(r.latencyUs?.p50).toBeGreaterThan(0);
    expect(r.latencyUs?.p99).toBeGreaterThanOrEqual(r.latencyUs!.p50);
  });

  it('record the CPUs client and server were pinned to', () => {
    expect(rep('tcp-rr').pinning).toEqual({ mode: 'same-cpu', client: [0], server: [0] });
    expect(rep('tcp-crr').pinning).toBeUndefined();
  });

  it('carry request latency percentiles for HTTP/2, connection-per-request HTTP and TCP CRR', () => {
    const h2 = results.trials.find((t) => t.dimensions.protocol === 'h2c')!.repetitions[0]!;
    expect(h2.engine).toBe('netbench-http2');
    expect(h2.load?.fraction).toBe(0.5);
    const close = results.trials.find((t) => t.dimensions.protocol === 'http1-close')!
      .repetitions[0]!;
    expect(close.generator?.threads).toBe(2);
    for (const r of [h2, close, rep('tcp-crr')]) {
      expect(r.requests?.completed).toBeGreaterThan(0);
      expect(r.latencyUs?.p50).toBeGreaterThan(0);
      expect(r.histograms?.latencyUs).toMatch(/^HISTF/);
    }
  });

  it('carry throughput in bits/s, and UDP loss beside the receiver RcvbufErrors', () => {
    const tcp = rep('tcp-stream');
    expect(tcp.throughput).toMatchObject({ protocol: 'tcp', streams: 2 });
    expect(tcp.throughput?.bitsPerSecond).toBeGreaterThan(0);
    expect(tcp.throughput?.retransmits).toBeGreaterThanOrEqual(0);
    const udp = rep('udp-stream');
    expect(udp.throughput?.targetBitsPerSecond).toBe(400e6);
    expect(udp.udp?.targetBitsPerSecond).toBe(400e6);
    expect(udp.udp?.sentPackets).toBeGreaterThan(0);
    expect(udp.udp?.rcvbufErrors).toBeGreaterThanOrEqual(0);
    expect(udp.udp?.datapathLostPackets).toBe(
      Math.max(0, udp.udp!.lostPackets - udp.udp!.rcvbufErrors),
    );
    expect(udp.udp?.socketBufferBytes).toBe(4 * 1024 * 1024);
  });

  it('account CPU and memory of the client and server pods over the window, per unit of work', () => {
    for (const workload of ['tcp-rr', 'tcp-crr', 'tcp-stream', 'udp-stream']) {
      const resources = rep(workload).resources ?? [];
      for (const pod of ['client', 'server']) {
        const r = resources.find((x) => x.scope === 'pod' && x.name === pod);
        expect(r, `${workload} ${pod}`).toBeDefined();
        expect(r!.cpuSeconds, `${workload} ${pod}`).toBeGreaterThan(0);
        expect(r!.peakRssBytes, `${workload} ${pod}`).toBeGreaterThan(0);
        expect(r!.processes?.length, `${workload} ${pod}`).toBeGreaterThan(0);
      }
    }
    const crrClient = rep('tcp-crr').resources!.find((x) => x.name === 'client')!;
    expect(crrClient.cpuSecondsPer1kRequests).toBeGreaterThan(0);
    const streamServer = rep('tcp-stream').resources!.find((x) => x.name === 'server')!;
    expect(streamServer.cpuPercentPerGbps).toBeGreaterThan(0);
    expect(rep('tcp-stream').resources!.some((x) => x.name === 'kernel-softirq')).toBe(true);
  });

  it('write the same figures to the CSV', () => {
    const header = csv.split('\n')[0]!.split(',');
    for (const column of [
      'throughput_bps',
      'udp_loss_percent',
      'udp_rcvbuf_errors',
      'latency_p50_us',
      'load_fraction',
      'res_client_cpu_percent',
      'res_server_peak_rss_bytes',
    ]) {
      expect(header).toContain(column);
    }
    expect(csv.trim().split('\n')).toHaveLength(1 + results.trials.length);
  });
});
