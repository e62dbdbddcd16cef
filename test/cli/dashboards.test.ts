import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../src/dashboards/build-dashboard.js';
import { dashboards } from '../../src/dashboards/index.js';
import { panelExpressions } from '../../src/dashboards/panel-rules.js';
import { stringify } from 'yaml';
import { cli } from '../helpers/cli-context.js';
import { promtool } from '../helpers/prometheus.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netbench-dashboards-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('netbench dashboards', () => {
  it("writes netbench's two dashboards and the field guide's four, one JSON file each", async () => {
    const out = join(dir, 'd');
    const r = await cli(['dashboards', '--out', out, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const listed = JSON.parse(r.stdout) as { dashboards: { uid: string; file: string }[] };
    expect(listed.dashboards.map((d) => d.uid)).toEqual([
      'netbench-run',
      'netbench-live',
      'netbench-service-map',
      'netbench-error-rates',
      'netbench-latency-pairs',
      'netbench-policy-denials',
    ]);
    expect((await readdir(out)).sort()).toEqual(
      listed.dashboards.map((d) => `${d.uid}.json`).sort(),
    );
    for (const d of listed.dashboards) {
      const json = JSON.parse(await readFile(d.file, 'utf8')) as {
        uid: string;
        panels: { title: string; datasource: { type: string }; targets: { expr: string }[] }[];
        templating: { list: { name: string; type: string }[] };
      };
      expect(json.uid).toBe(d.uid);
      expect(json.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource' });
      expect(json.panels.length).toBeGreaterThan(0);
      for (const p of json.panels) {
        expect(p.datasource.type).toBe('prometheus');
        expect(p.targets.length).toBeGreaterThan(0);
      }
    }
  });

  it('writes every panel expression as a rules file that promtool check rules accepts', async () => {
    const rules = join(dir, 'panels.rules.yml');
    const r = await cli(['dashboards', '--out', join(dir, 'r'), '--rules', rules]);
    expect(r.exitCode, r.stderr).toBe(0);
    const check = await promtool(['check', 'rules', rules]);
    expect(check.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(check.exitCode).toBe(0);
    const written = Number(/SUCCESS: (\d+) rules found/.exec(check.output)?.[1]);
    const panelQueries = dashboards.reduce(
      (n, d) => n + d.panels.reduce((m, p) => m + p.queries.length, 0),
      0,
    );
    expect(written).toBe(panelQueries);
  });

  it('makes promtool fail on a panel expression that does not parse (the check has teeth)', async () => {
    const bad = join(dir, 'bad.rules.yml');
    await writeFile(
      bad,
      'groups:\n  - name: x\n    rules:\n      - record: x:y\n        expr: sum by (trial (netbench_latency_seconds_bucket)\n',
    );
    const check = await promtool(['check', 'rules', bad]);
    expect(check.exitCode).not.toBe(0);
  });

  it("gives every field-guide panel Hubble's or Istio's metrics, and the lab's beside them", () => {
    const exprs = dashboards
      .slice(2)
      .flatMap((d) => panelExpressions(buildDashboard(d)).map((e) => e.expr));
    expect(exprs.some((e) => e.includes('hubble_policy_verdicts_total'))).toBe(true);
    expect(exprs.some((e) => e.includes('istio_request_duration_milliseconds_bucket'))).toBe(true);
    expect(exprs.some((e) => e.includes('netbench_policy_packets'))).toBe(true);
    for (const e of exprs) expect(e).toMatch(/hubble_|istio_|netbench_/);
  });

  it('requires --out', async () => {
    const r = await cli(['dashboards']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("required option '-o, --out <dir>'");
  });

  it('computes the field-guide panels right on Hubble- and Istio-shaped series (promtool test rules)', async () => {
    const expr = (title: string): string => {
      const all = dashboards.flatMap((d) => panelExpressions(buildDashboard(d)));
      const found = all.find((e) => e.panel === title);
      if (found === undefined) throw new Error(`no panel ${title}`);
      return found.promql;
    };
    const pair =
      'source_namespace="x",source_workload="a",destination_namespace="y",destination_workload="b"';
    const istio =
      'source_workload_namespace="x",source_workload="a",destination_workload_namespace="y",destination_workload="b"';
    // Counters growing by a fixed amount per minute: rate() is that amount / 60.
    const suite = (share: number) => ({
      rule_files: [],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            {
              series: `hubble_flows_processed_total{verdict="FORWARDED",type="L3_L4",${pair}}`,
              values: '0+60x20',
            },
            {
              series: `hubble_flows_processed_total{verdict="DROPPED",type="L3_L4",${pair}}`,
              values: '0+600x20',
            },
            {
              series: `istio_requests_total{reporter="destination",response_code="200",${istio}}`,
              values: '0+90x20',
            },
            {
              series: `istio_requests_total{reporter="destination",response_code="503",${istio}}`,
              values: '0+10x20',
            },
            {
              series: `hubble_policy_verdicts_total{action="dropped",direction="ingress",match="none",${pair}}`,
              values: '0+30x20',
            },
            {
              series: `hubble_policy_verdicts_total{action="forwarded",direction="ingress",match="l3-l4",${pair}}`,
              values: '0+300x20',
            },
          ],
          promql_expr_test: [
            {
              expr: expr('Hubble: forwarded flows per second by pair'),
              eval_time: '15m',
              exp_samples: [{ labels: `{${pair}}`, value: 1 }],
            },
            {
              expr: expr('Istio: 5xx share per destination'),
              eval_time: '15m',
              exp_samples: [
                {
                  labels: '{destination_workload_namespace="y",destination_workload="b"}',
                  value: share,
                },
              ],
            },
            {
              expr: expr('Hubble: policy drops per pair and direction'),
              eval_time: '15m',
              exp_samples: [{ labels: `{${pair},direction="ingress"}`, value: 0.5 }],
            },
          ],
        },
      ],
    });
    const run = async (
      name: string,
      share: number,
    ): Promise<{ exitCode: number; output: string }> => {
      const file = join(dir, name);
      await writeFile(file, stringify(suite(share), { lineWidth: 0 }));
      return promtool(['test', 'rules', file]);
    };
    const good = await run('field-guide.test.yml', 0.1);
    expect(good.output).toContain('SUCCESS');
    expect(good.exitCode).toBe(0);
    // The check has teeth: a wrong expectation fails.
    expect((await run('field-guide-wrong.test.yml', 0.2)).exitCode).not.toBe(0);
  });
});
