/**
 * Observability on the lab, end to end: a policy run with live metrics scraped by a real
 * Prometheus server and a packet capture per repetition; and the enforcers' counters attributing
 * allowed and dropped packets to the policy rule or the default deny that decided them.
 */
import { readFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { createProcessRunner } from '../../src/core/process-runner.js';
import { createRunId } from '../../src/core/run-id.js';
import { topologyFor } from '../../src/matrix/topology.js';
import { createLabPlatform } from '../../src/platform/lab/lab-platform.js';
import { countPolicyVerdicts } from '../../src/platform/policy-counters.js';
import type { Results } from '../../src/results/schema.js';
import { defaultDimensions } from '../../src/spec/dimensions.js';
import { cli } from '../helpers/cli-context.js';
import { assertRoot, namespacesOf } from '../helpers/lab.js';
import { freePort, startPrometheus, type PrometheusServer } from '../helpers/prometheus.js';

describe('netbench run --metrics-port --capture under default-deny-allow', () => {
  let prometheus: PrometheusServer;
  let results: Results;
  let out: string;
  let stderr: string;

  beforeAll(async () => {
    assertRoot();
    const dir = await mkdtemp(join(tmpdir(), 'netbench-observe-'));
    out = join(dir, 'out');
    const scenario = join(dir, 'observe.yaml');
    await writeFile(
      scenario,
      [
        'name: observe-lab-test',
        'repetitions: 1',
        'warmup: 0.5s',
        'duration: 2s',
        'matrix:',
        '  protocol: http1-close',
        '  rate: 200',
        '  connections: 2',
        '  datapath: routed',
        '  placement: cross-node',
        '  policy: default-deny-allow',
        '  enforcer: [iptables, nftables]',
      ].join('\n'),
    );
    const port = await freePort();
    prometheus = await startPrometheus([{ job: 'netbench-run', target: `127.0.0.1:${port}` }]);
    const r = await cli([
      'run',
      scenario,
      '--out',
      out,
      '--metrics-port',
      String(port),
      '--capture',
      '--json',
    ]);
    stderr = r.stderr;
    expect(r.exitCode, r.stderr).toBe(0);
    results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
  }, 300_000);
  afterAll(async () => {
    await prometheus?.stop();
  });

  it('says where the metrics are served', () => {
    expect(stderr).toMatch(/metrics: http:\/\/127\.0\.0\.1:\d+\/metrics/);
  });

  it('counts each new connection against the policy rule that allowed it, per enforcer', () => {
    for (const t of results.trials) {
      const rep = t.repetitions[0]!;
      expect(rep.status).not.toBe('failed');
      const counters = rep.policyCounters!;
      expect(counters.enforcer).toBe(t.dimensions.enforcer);
      const allowedEgress = counters.counters.filter(
        (c) => c.pod === 'client' && c.direction === 'egress' && c.verdict === 'allowed',
      );
      const packets = allowedEgress.reduce((n, c) => n + c.packets, 0);
      // One connection per request (http1-close): every SYN crosses the client's egress rules.
      expect(packets).toBeGreaterThanOrEqual(rep.requests!.completed);
      expect(allowedEgress.every((c) => c.policy !== 'default-deny')).toBe(true);
      const established = counters.counters.filter((c) => c.direction === 'established');
      expect(established.reduce((n, c) => n + c.packets, 0)).toBeGreaterThan(0);
    }
  });

  it('records a bounded pcap per repetition, within its caps', async () => {
    for (const t of results.trials) {
      const c = t.repetitions[0]!.capture!;
      expect(c.file).toMatch(/^captures\/.+-r0\.pcap$/);
      // The workload's connections, not only the interfaces' own chatter: one per request.
      expect(c.packets).toBeGreaterThan(t.repetitions[0]!.requests!.completed);
      expect(c.packets).toBeLessThanOrEqual(c.maxPackets);
      expect(c.bytes).toBeLessThanOrEqual(c.maxBytes);
      const pcap = await readFile(join(out, c.file));
      expect(pcap.length).toBe(c.bytes);
      // libpcap magic (microsecond timestamps), little endian.
      expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    }
  });

  it('links the captures and shows the policy counters in the report', async () => {
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('href="captures/');
    expect(html).toContain('Policy verdicts');
  });

  it('let Prometheus scrape the run: its last values equal results.json', async () => {
    const [progress] = await prometheus.query(
      `last_over_time(netbench_live_progress_ratio{run_id="${results.runId}"}[5m])`,
    );
    expect(progress?.value).toBe(1);
    const p99 = await prometheus.query(
      `last_over_time(netbench_latency_percentile_seconds{run_id="${results.runId}",percentile="99"}[5m])`,
    );
    for (const t of results.trials) {
      const s = p99.find((x) => x.metric.trial === t.id);
      expect(s?.value).toBe(t.repetitions[0]!.latencyUs!.p99 / 1e6);
    }
    const drops = await prometheus.query(
      `last_over_time(netbench_policy_packets{run_id="${results.runId}",verdict="allowed",pod="client"}[5m])`,
    );
    expect(drops.length).toBeGreaterThan(0);
    const rate = await prometheus.query(
      `max_over_time(netbench_live_current_requests_per_second{run_id="${results.runId}"}[5m])`,
    );
    expect(rate.length).toBeGreaterThan(0);
  });

  it('leaves nothing behind', async () => {
    expect(await namespacesOf(results.runId)).toEqual([]);
  });
});

describe('policy counters of the lab enforcers', () => {
  for (const enforcer of ['iptables', 'nftables'] as const) {
    it(`${enforcer}: a denied ping counts as dropped by the default deny of the pod that sent it`, async () => {
      assertRoot();
      const runId = createRunId();
      const lab = createLabPlatform({
        runner: createProcessRunner(),
        logger: silentLogger,
        runId,
        purpose: 'test policy counters',
      });
      try {
        const env = await lab.deploy(
          topologyFor({
            ...defaultDimensions(),
            datapath: 'routed',
            placement: 'cross-node',
            policy: 'default-deny-allow',
            enforcer,
          }),
        );
        const { result: pings, counters } = await countPolicyVerdicts(env, async () => {
          // default-deny-allow lets the client reach the server, nothing the other way.
          const denied = await env.exec(
            'server',
            {
              kind: 'program',
              argv: ['ping', '-c', '3', '-i', '0.2', '-W', '1', env.podAddress('client')],
            },
            { allowFailure: true },
          );
          const allowed = await env.exec('client', {
            kind: 'program',
            argv: ['ping', '-c', '2', '-i', '0.2', '-W', '1', env.podAddress('server')],
          });
          return { denied: denied.exitCode, allowed: allowed.exitCode };
        });
        expect(pings).toEqual({ denied: 1, allowed: 0 });
        const delta = counters!;
        const find = (pod: string, direction: string, verdict: string) =>
          delta.counters
            .filter((c) => c.pod === pod && c.direction === direction && c.verdict === verdict)
            .reduce((n, c) => n + c.packets, 0);
        expect(find('server', 'egress', 'dropped')).toBe(3);
        expect(
          delta.counters.find(
            (c) => c.pod === 'server' && c.direction === 'egress' && c.verdict === 'dropped',
          )?.policy,
        ).toBe('default-deny');
        // The first echo request opens the flow; the second is established.
        expect(find('client', 'egress', 'allowed')).toBe(1);
        expect(find('server', 'ingress', 'allowed')).toBe(1);
        expect(find('client', 'egress', 'dropped')).toBe(0);
        await env.teardown();
      } finally {
        await lab.close();
      }
      expect(await namespacesOf(runId)).toEqual([]);
    });
  }
});
