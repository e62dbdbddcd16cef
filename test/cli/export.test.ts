import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeResults } from '../../src/analysis/analyze.js';
import { buildDashboard } from '../../src/dashboards/build-dashboard.js';
import { netbenchRunDashboard } from '../../src/dashboards/netbench-dashboards.js';
import { panelExpressions } from '../../src/dashboards/panel-rules.js';
import { saveResults } from '../../src/results/results-store.js';
import type { Results } from '../../src/results/schema.js';
import { cli } from '../helpers/cli-context.js';
import {
  promtool,
  startPrometheus,
  startPushgateway,
  type LocalServer,
  type PrometheusServer,
} from '../helpers/prometheus.js';
import { fixturePath, loadFixture, withSyntheticSections } from '../unit/report/fixtures.js';
import { withPolicyCounters } from '../unit/export/policy-counters-fixture.js';

let dir: string;
/** datapaths with synthetic throughput, UDP, resource and policy sections (labelled as such). */
let full: Results;
let fullDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netbench-export-'));
  full = withPolicyCounters(withSyntheticSections(await loadFixture('datapaths')));
  fullDir = join(dir, 'full');
  await mkdir(fullDir);
  await saveResults(fullDir, full);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('netbench export', () => {
  for (const format of ['openmetrics', 'prometheus'] as const) {
    it(`writes ${format} text that promtool check metrics accepts, for every recorded run`, async () => {
      for (const run of [
        fixturePath('datapaths'),
        fixturePath('sweep'),
        fixturePath('quick-overloaded'),
        fullDir,
      ]) {
        const r = await cli(['export', run, '--format', format]);
        expect(r.exitCode, r.stderr).toBe(0);
        expect(r.stdout).toContain('# TYPE netbench_latency_seconds histogram');
        if (format === 'openmetrics') expect(r.stdout.trimEnd().endsWith('# EOF')).toBe(true);
        const check = await promtool(['check', 'metrics'], r.stdout);
        expect(check.output).toBe('');
        expect(check.exitCode).toBe(0);
      }
    });
  }

  it('writes --out and says where on stderr', async () => {
    const out = join(dir, 'sub', 'run.om');
    const r = await cli(['export', fixturePath('datapaths'), '-o', out]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/wrote .*run\.om/);
    expect(await readFile(out, 'utf8')).toMatch(/netbench_run_info\{run_id="zp6xr"/);
  });

  it('refuses an unknown format and a push URL that is not http, with the usage exit code', async () => {
    const bad = await cli(['export', fixturePath('datapaths'), '--format', 'openmetric']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(
      /NB_USAGE_BAD_FLAG.*openmetric.*\n.*hint: did you mean "openmetrics"/,
    );
    const url = await cli(['export', fixturePath('datapaths'), '--push', 'ftp://x']);
    expect(url.exitCode).toBe(2);
    expect(url.stderr).toContain('is not an http(s) URL');
  });

  it('fails with NB_EXPORT_PUSH_FAILED and a hint when no Pushgateway listens', async () => {
    const gateway = await startPushgateway();
    const url = gateway.url;
    await gateway.stop();
    const r = await cli(['export', fixturePath('datapaths'), '--push', url]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/NB_EXPORT_PUSH_FAILED[\s\S]*hint: .*prometheus-pushgateway/);
  });
});

describe('a run pushed to a Pushgateway and scraped by a real Prometheus server', () => {
  let gateway: LocalServer;
  let prometheus: PrometheusServer;
  beforeAll(async () => {
    gateway = await startPushgateway();
    prometheus = await startPrometheus([
      { job: 'pushgateway', target: new URL(gateway.url).host, honorLabels: true },
    ]);
    const r = await cli(['export', fullDir, '--push', gateway.url]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/pushed \d+ metric families of run zp6xr/);
  }, 120_000);
  afterAll(async () => {
    await prometheus?.stop();
    await gateway?.stop();
  });

  const key = (m: Record<string, string>): string => `${m.trial}#${m.repetition}`;
  const reps = () =>
    full.trials.flatMap((t) =>
      t.repetitions.map((r) => ({ trial: t, rep: r, key: `${t.id}#${r.index}` })),
    );

  it('answers queries with the percentiles, counts and rates of results.json, grouped by run id', async () => {
    const measured = reps().filter((x) => x.rep.latencyUs !== undefined);
    const p99 = await prometheus.waitForSeries(
      'netbench_latency_percentile_seconds{run_id="zp6xr",percentile="99"}',
      measured.length,
    );
    expect(p99.every((s) => s.metric.job === 'netbench')).toBe(true);
    const byKey = new Map(p99.map((s) => [key(s.metric), s.value]));
    for (const x of measured) expect(byKey.get(x.key)).toBe(x.rep.latencyUs!.p99 / 1e6);
    const counts = new Map(
      (await prometheus.query('netbench_latency_seconds_count{run_id="zp6xr"}')).map((s) => [
        key(s.metric),
        s.value,
      ]),
    );
    for (const x of measured) expect(counts.get(x.key)).toBe(x.rep.latencyUs!.count);
    const rps = new Map(
      (await prometheus.query('netbench_achieved_requests_per_second{run_id="zp6xr"}')).map((s) => [
        key(s.metric),
        s.value,
      ]),
    );
    for (const x of measured) expect(rps.get(x.key)).toBe(x.rep.achievedRps);
  });

  it('carries every dimension as a label, so PromQL slices by datapath and placement', async () => {
    const byDatapath = await prometheus.query(
      'count by (datapath, placement) (netbench_latency_percentile_seconds{run_id="zp6xr",percentile="50"})',
    );
    const expected = new Map<string, number>();
    for (const x of reps()) {
      if (x.rep.latencyUs === undefined) continue;
      const k = `${String(x.trial.dimensions.datapath)}/${String(x.trial.dimensions.placement)}`;
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    expect(
      new Map(byDatapath.map((s) => [`${s.metric.datapath}/${s.metric.placement}`, s.value])),
    ).toEqual(expected);
  });

  it('rebuilds the latency histogram so histogram_quantile lands in the bucket of the recorded median', async () => {
    const x = reps().find((r) => r.rep.status === 'ok' && r.rep.latencyUs !== undefined)!;
    const [median] = await prometheus.query(
      `histogram_quantile(0.5, netbench_latency_seconds_bucket{run_id="zp6xr",trial="${x.trial.id}",repetition="${x.rep.index}"})`,
    );
    const p50 = x.rep.latencyUs!.p50 / 1e6;
    // Interpolated inside the 1-2-5 bucket that holds the recorded p50.
    expect(median!.value).toBeGreaterThan(p50 / 2.5);
    expect(median!.value).toBeLessThan(p50 * 2.5);
  });

  it('has throughput, UDP loss, CPU and memory per pod, and the policy counters of results.json', async () => {
    const rx = await prometheus.query(
      'netbench_throughput_bytes_per_second{run_id="zp6xr",direction="received"}',
    );
    const bps = new Map(rx.map((s) => [key(s.metric), s.value * 8]));
    const cpu = await prometheus.query(
      'netbench_resource_cpu_cores{run_id="zp6xr",group="client"}',
    );
    const cores = new Map(cpu.map((s) => [key(s.metric), s.value]));
    const loss = await prometheus.query('netbench_udp_loss_ratio{run_id="zp6xr",scope="all"}');
    const lossRatio = new Map(loss.map((s) => [key(s.metric), s.value]));
    const withSections = reps().filter((x) => x.rep.throughput !== undefined);
    expect(withSections.length).toBeGreaterThan(0);
    for (const x of withSections) {
      expect(bps.get(x.key)).toBe(x.rep.throughput!.bitsPerSecond);
      expect(lossRatio.get(x.key)).toBe(x.rep.udp!.lossPercent / 100);
      const client = x.rep.resources!.find((r) => r.name === 'client')!;
      expect(cores.get(x.key)).toBe(client.cpuPercent / 100);
    }
    const dropped = await prometheus.query(
      'sum by (trial, repetition) (netbench_policy_packets{run_id="zp6xr",verdict="dropped"})',
    );
    const drops = new Map(dropped.map((s) => [key(s.metric), s.value]));
    for (const x of reps().filter((r) => r.rep.policyCounters !== undefined)) {
      const want = x.rep
        .policyCounters!.counters.filter((c) => c.verdict === 'dropped')
        .reduce((n, c) => n + c.packets, 0);
      expect(drops.get(x.key)).toBe(want);
    }
  });

  it("returns the analysis' overheads against the baseline, as report.html has them", async () => {
    const { analysis } = analyzeResults(full);
    const rows = analysis.overheads.flatMap((t) => t.rows);
    expect(rows.length).toBeGreaterThan(0);
    const got = await prometheus.query(
      'netbench_overhead_ratio{run_id="zp6xr",figure="p99",bound="estimate"}',
    );
    const byTrial = new Map(got.map((s) => [s.metric.trial, s.value]));
    for (const row of rows) expect(byTrial.get(row.trialId)).toBe(row.figures.p99?.value);
  });

  it("answers every panel of netbench's run dashboard with data from the pushed run", async () => {
    for (const e of panelExpressions(buildDashboard(netbenchRunDashboard))) {
      const series = await prometheus.query(e.promql);
      expect(series.length, `${e.panel}: ${e.promql}`).toBeGreaterThan(0);
      expect(series.every((s) => Number.isFinite(s.value) || Number.isNaN(s.value))).toBe(true);
    }
  });
});
