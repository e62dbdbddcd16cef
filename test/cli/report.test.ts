import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli-context.js';
import { fixturePath, loadFixture } from '../unit/report/fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netbench-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('netbench report', () => {
  it('re-renders HTML, Markdown, CSV and JSON from a saved results directory, no lab needed', async () => {
    const results = fixturePath('datapaths');
    const html = await cli(['report', results, '--format', 'html']);
    expect(html.exitCode).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/);
    const md = await cli(['report', results, '--format', 'md']);
    expect(md.stdout).toMatch(/^# datapaths/);
    const csv = await cli(['report', `${results}/results.json`, '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toMatch(/^trial,/);
    const json = await cli(['report', results, '-f', 'json']);
    expect((JSON.parse(json.stdout) as { runId: string }).runId).toBe('zp6xr');
  });

  it('writes --out, infers the format from its extension, and puts Markdown charts beside it', async () => {
    const out = join(dir, 'r.md');
    const r = await cli(['report', fixturePath('datapaths'), '--out', out]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/wrote .*r\.md and 4 charts in r-charts\//);
    const md = await readFile(out, 'utf8');
    expect(md).toContain('](r-charts/percentiles.svg)');
    expect((await readdir(join(dir, 'r-charts'))).sort()).toEqual([
      'distribution.svg',
      'overhead.svg',
      'percentiles.svg',
      'run-order.svg',
    ]);
    const html = join(dir, 'sub', 'report.html');
    expect((await cli(['report', fixturePath('quick-a'), '-o', html])).exitCode).toBe(0);
    expect(await readFile(html, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('gives the same digits every time (the bootstrap is seeded from the run)', async () => {
    const one = await cli(['report', fixturePath('datapaths'), '-f', 'csv']);
    const two = await cli(['report', fixturePath('datapaths'), '-f', 'csv']);
    expect(two.stdout).toBe(one.stdout);
  });

  it('renders a run interrupted before any repetition finished, and says what happened', async () => {
    const results = await loadFixture('quick-a');
    for (const t of results.trials) t.repetitions = [];
    results.status = 'interrupted';
    const d = join(dir, 'interrupted');
    await mkdir(d);
    await writeFile(join(d, 'results.json'), JSON.stringify(results));
    for (const format of ['html', 'md', 'csv', 'json']) {
      expect((await cli(['report', d, '-f', format])).exitCode, format).toBe(0);
    }
    const md = await cli(['report', d, '-f', 'md']);
    expect(md.stdout).toContain('No trial produced a valid latency measurement.');
    expect(md.stdout).toContain('The run is interrupted');
  });

  it('rejects an unknown format with a suggestion', async () => {
    const r = await cli(['report', fixturePath('quick-a'), '--format', 'htm']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/NB_USAGE_BAD_FLAG: --format "htm" is not one of html, md, csv, json/);
    expect(r.stderr).toMatch(/did you mean "html"/);
  });

  it('rejects a confidence level outside (0.5, 1) and a silly number of resamples', async () => {
    const level = await cli(['report', fixturePath('quick-a'), '--level', '1.5']);
    expect(level.exitCode).toBe(2);
    expect(level.stderr).toMatch(/--level "1.5" is not a confidence level/);
    const iterations = await cli(['report', fixturePath('quick-a'), '--iterations', '5']);
    expect(iterations.exitCode).toBe(2);
    expect(iterations.stderr).toMatch(/--iterations "5"/);
    expect(
      (await cli(['report', fixturePath('quick-a'), '--level', '90%', '-f', 'json'])).exitCode,
    ).toBe(0);
  });

  it('says clearly when there are no results, or they are not a results file', async () => {
    const missing = await cli(['report', join(dir, 'nope')]);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toMatch(/NB_FILE_NOT_FOUND/);
    const bogus = join(dir, 'bogus.json');
    await writeFile(bogus, JSON.stringify({ schemaVersion: 1, runId: 3 }));
    const invalid = await cli(['report', bogus]);
    expect(invalid.exitCode).toBe(3);
    expect(invalid.stderr).toMatch(/NB_RESULTS_INVALID/);
    expect(invalid.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('cannot write into a file that is not a directory, and says so', async () => {
    const file = join(dir, 'plain-file');
    await writeFile(file, 'x');
    const r = await cli(['report', fixturePath('quick-a'), '--out', join(file, 'report.html')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/NB_FILE_UNWRITABLE/);
  });
});
