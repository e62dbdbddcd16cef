import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LoadRecord } from '../../../src/results/schema.js';
import { createHistogram, recordMicros, summarize } from '../../../src/stats/histogram.js';
import { lastWindow, parseSockperfOutput } from '../../../src/workload/sockperf/sockperf-output.js';
import {
  sockperfClientArgs,
  sockperfMeasurement,
  sockperfSeconds,
} from '../../../src/workload/sockperf/tcp-rr-workload.js';
import { thrown } from '../../helpers/errors.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/sockperf/${name}`, import.meta.url), 'utf8');

const paced = (offered: number | null): LoadRecord => ({
  spec: offered ?? 'max',
  fraction: null,
  offered,
  unit: 'rps',
  capacity: null,
});

describe('parseSockperfOutput', () => {
  it('reads one round trip per message of the full log, as many as sockperf observed', () => {
    const r = parseSockperfOutput(fixture('lab-bridge-tcp-64b-1000mps-fulllog.txt'));
    expect(r.roundTrip).toBe(true);
    expect(r.samples.length).toBeGreaterThan(0);
    expect(r.samples.length).toBe(r.observations);
    expect(r.receivedMessages).toBe(r.observations);
  });

  it("builds a histogram that agrees with sockperf's own percentiles", () => {
    const r = parseSockperfOutput(fixture('lab-bridge-tcp-64b-1000mps-fulllog.txt'));
    const h = createHistogram();
    for (const s of r.samples) recordMicros(h, s.rttUs);
    const ours = summarize(h);
    expect(ours.count).toBe(r.observations);
    const sorted = r.samples.map((s) => s.rttUs).sort((a, b) => a - b);
    const n = sorted.length;
    for (const [q, mine, theirs] of [
      [0.5, ours.p50, r.percentilesUs['50']],
      [0.9, ours.p90, r.percentilesUs['90']],
      [0.99, ours.p99, r.percentilesUs['99']],
    ] as const) {
      // Both lie within the samples around rank q·n (percentile definitions differ by a rank),
      // ours widened by the histogram's resolution: whole µs, 3 significant digits.
      const lo = sorted[Math.max(0, Math.floor(q * n) - 1)]!;
      const hi = sorted[Math.min(n - 1, Math.ceil(q * n))]!;
      const slack = (v: number): number => Math.max(1, v * 0.002);
      expect(theirs).toBeGreaterThanOrEqual(lo);
      expect(theirs).toBeLessThanOrEqual(hi);
      expect(mine).toBeGreaterThanOrEqual(lo - slack(lo));
      expect(mine).toBeLessThanOrEqual(hi + slack(hi));
    }
  });

  it('reads the statistics of a run without a full log (the capacity probe)', () => {
    for (const name of ['lab-bridge-tcp-64b-max-summary.txt', 'loopback-tcp-64b-max-summary.txt']) {
      const r = parseSockperfOutput(fixture(name));
      expect(r.samples).toEqual([]);
      expect(r.validRunTimeS).toBeGreaterThan(0);
      expect(r.receivedMessages).toBeGreaterThan(0);
      expect(r.percentilesUs['50']).toBeGreaterThan(0);
      expect(r.droppedMessages).toBe(0);
    }
  });

  it("turns sockperf's connection error into NB_TOOL_FAILED naming the reason", () => {
    const error = thrown(() => parseSockperfOutput(fixture('connection-refused.txt')));
    expect(error.code).toBe('NB_TOOL_FAILED');
    expect(error.message).toMatch(/Connection refused/);
  });
});

describe('the tcp-rr measured window', () => {
  const report = parseSockperfOutput(fixture('lab-bridge-tcp-64b-1000mps-fulllog.txt'));

  it('keeps only the last `duration` seconds of the log (the rest was warm-up)', () => {
    const window = lastWindow(report.samples, 1);
    const last = report.samples[report.samples.length - 1]!;
    expect(window.length).toBeLessThan(report.samples.length);
    expect(window.every((s) => s.txS > last.txS - 1)).toBe(true);
    expect(report.samples.filter((s) => s.txS > last.txS - 1)).toHaveLength(window.length);
  });

  it('records round trips as latency with the requested and achieved rate', () => {
    const m = sockperfMeasurement(report, 1, { load: paced(1000) }, undefined);
    expect(m.engine).toBe('sockperf');
    expect(m.requestedRps).toBe(1000);
    expect(m.latencyUs?.count).toBe(lastWindow(report.samples, 1).length);
    expect(m.achievedRps).toBe(lastWindow(report.samples, 1).length);
    expect(m.histograms?.latencyUs).toMatch(/^HISTF/);
    expect(m.engineReport?.['p50Us']).toBe(report.percentilesUs['50']);
    expect(m.invalidReasons).toEqual([]);
  });

  it('is invalid when one connection cannot carry the requested rate', () => {
    const m = sockperfMeasurement(report, 1, { load: paced(50_000) }, undefined);
    expect(m.invalidReasons.join(' ')).toMatch(/cannot carry that rate/);
  });

  it('runs sockperf for warm-up plus duration plus its own warm-up, in whole seconds', () => {
    expect(sockperfSeconds(1, 2)).toBe(4);
    expect(sockperfSeconds(0, 1)).toBe(2);
  });

  it('asks sockperf for round trips, paced or at full speed', () => {
    const run = { seconds: 3, fullLog: true, windowS: 2 };
    expect(sockperfClientArgs('10.0.0.2', 64, { ...run, mps: 500 })).toEqual(
      expect.arrayContaining(['--tcp', '--full-rtt', '--mps=500', '-m', '64', '--full-log']),
    );
    expect(
      sockperfClientArgs('10.0.0.2', 64, { ...run, mps: 'max', fullLog: false }),
    ).not.toContain('--full-log');
  });
});
