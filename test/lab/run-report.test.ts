/**
 * `netbench run` on the real lab: it writes report.html beside results.json, lists the scenario's
 * thresholds, and exits 5 (thresholds failed) when one fails. One short trial, one repetition.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli-context.js';
import { assertRoot, binPath, namespacesOf } from '../helpers/lab.js';

let dir: string;

beforeAll(async () => {
  assertRoot();
  dir = await mkdtemp(join(tmpdir(), 'netbench-run-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('netbench run with thresholds', () => {
  it('writes report.html beside results.json and exits 5 when a threshold fails', async () => {
    const scenario = join(dir, 'thresholds.yaml');
    await writeFile(
      scenario,
      [
        'name: run-report',
        'description: Does a failed threshold fail the run?',
        'repetitions: 1',
        'warmup: 500ms',
        'duration: 1s',
        'matrix: { datapath: bridge, placement: same-node, rate: 200, connections: 2 }',
        'thresholds:',
        '  - p50 < 1us # no HTTP round trip is this fast',
        '  - p99 < 60s',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const r = await cli(['run', scenario, '--out', out, '--json']);
    const summary = JSON.parse(r.stdout) as {
      runId: string;
      status: string;
      report: string | null;
      thresholds: { threshold: string; passed: boolean }[];
    };
    try {
      expect(r.exitCode).toBe(5);
      expect(r.stderr).toMatch(/NB_THRESHOLDS_FAILED: .*p50 < 1us/);
      expect(r.stderr).toMatch(/FAIL {2}p50 < 1us/);
      expect(summary.status).toBe('complete');
      expect(summary.report).toBe(join(out, 'report.html'));
      expect(summary.thresholds.find((t) => t.threshold === 'p50 < 1us')?.passed).toBe(false);
      expect(existsSync(join(out, 'results.json'))).toBe(true);
      const html = await readFile(join(out, 'report.html'), 'utf8');
      expect(html).toContain('Does a failed threshold fail the run?');
      expect(html).toMatch(/<td class="fail">FAIL<\/td>/);
      // The built binary re-renders the report offline from the same directory.
      const again = spawnSync(process.execPath, [binPath, 'report', out, '--format', 'json'], {
        encoding: 'utf8',
      });
      expect(again.status).toBe(0);
      const doc = JSON.parse(again.stdout) as { thresholds: { passed: boolean }[] };
      expect(doc.thresholds[0]!.passed).toBe(false);
    } finally {
      expect(await namespacesOf(summary.runId)).toEqual([]);
    }
  });
});
