import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { renderCsv, renderJson } from '../../../src/report/csv.js';
import { escapeHtml, renderHtml } from '../../../src/report/html.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { buildReportModel } from '../../../src/report/report-model.js';
import { renderSvg } from '../../../src/report/render-svg.js';
import { loadFixture, withSyntheticSections } from './fixtures.js';

describe('charts', () => {
  it('are produced only for the data a run has', async () => {
    const plain = buildReportModel(await loadFixture('quick-a'));
    expect(plain.charts.map((c) => c.id)).toEqual(['percentiles', 'distribution', 'run-order']);
    const withBaseline = buildReportModel(await loadFixture('datapaths'));
    expect(withBaseline.charts.map((c) => c.id)).toContain('overhead');
    const full = buildReportModel(withSyntheticSections(await loadFixture('quick-a')));
    expect(full.charts.map((c) => c.id)).toEqual([
      'percentiles',
      'distribution',
      'throughput',
      'loss',
      'resources',
      'run-order',
    ]);
  });

  it('are valid vega-lite that renders to SVG with marks and hover titles', async () => {
    const model = buildReportModel(withSyntheticSections(await loadFixture('datapaths')));
    for (const chart of model.charts) {
      expect(() => compile(chart.spec), chart.id).not.toThrow();
      const svg = await renderSvg(chart.spec);
      expect(svg.startsWith('<svg'), chart.id).toBe(true);
      expect(svg, chart.id).toMatch(/role="graphics-symbol"/);
      expect(svg, chart.id).toMatch(/<title>[^<]+<\/title>/);
    }
  });
});

describe('HTML report', () => {
  it('is one self-contained file: no script, no external resource', async () => {
    const html = await renderHtml(buildReportModel(await loadFixture('datapaths')));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
  });

  it('puts the question and the answer first, then the sections', async () => {
    const html = await renderHtml(buildReportModel(await loadFixture('datapaths')));
    const at = (s: string): number => html.indexOf(s);
    expect(at('The question')).toBeGreaterThan(0);
    expect(at('How much latency does a cross-node overlay')).toBeGreaterThan(at('The question'));
    expect(at('The answer')).toBeLessThan(at('id="latency"'));
    for (const id of [
      'thresholds',
      'latency',
      'overhead',
      'method',
      'order',
      'environment',
      'scenario',
    ]) {
      expect(html, id).toContain(`<section id="${id}">`);
    }
    expect(html).toContain('seed 11');
  });

  it('escapes text from results.json, so a hostile description cannot inject markup', async () => {
    const results = await loadFixture('quick-a');
    results.scenario.description = '<img src=x onerror=alert(1)> & "quotes"';
    const html = await renderHtml(buildReportModel(results));
    expect(html).not.toContain('<img src=x');
    expect(html).toContain(escapeHtml('<img src=x onerror=alert(1)> & "quotes"'));
  });
});

describe('Markdown report', () => {
  it('has the same answer and tables, and chart files only when it has somewhere to put them', async () => {
    const model = buildReportModel(await loadFixture('datapaths'));
    const alone = await renderMarkdown(model);
    expect(alone.charts).toEqual([]);
    expect(alone.markdown).toMatch(/^# datapaths\n/);
    expect(alone.markdown).toContain('## The answer');
    expect(alone.markdown).toMatch(/\| trial \| valid reps \| requests \| p50 \|/);
    expect(alone.markdown).toContain('charts are left out');
    const withFiles = await renderMarkdown(model, { chartDirectory: 'r-charts' });
    expect(withFiles.charts.map((c) => c.fileName)).toEqual(model.charts.map((c) => `${c.id}.svg`));
    expect(withFiles.markdown).toContain(
      '![Latency percentiles per trial](r-charts/percentiles.svg)',
    );
  });
});

describe('CSV and JSON reports', () => {
  it('give one CSV row per trial with every figure, interval and overhead', async () => {
    const model = buildReportModel(await loadFixture('datapaths'));
    const lines = renderCsv(model).trimEnd().split('\n');
    const header = lines[0]!.split(',');
    expect(lines).toHaveLength(1 + model.run.analysis.trials.length);
    for (const column of [
      'trial',
      'datapath',
      'latency_p99_us',
      'latency_p99_us_ci_low',
      'latency_p99_us_ci_covers',
      'vs_datapath_p99_relative_change',
      'vs_datapath_p99_verdict',
    ]) {
      expect(header, column).toContain(column);
    }
    const bridge = lines.find((l) => l.startsWith('bridge/same-node'))!.split(',');
    const p99 = Number(bridge[header.indexOf('latency_p99_us')]);
    expect(p99).toBe(model.run.analysis.trials[0]!.figures.p99!.value);
  });

  it('give the analysis, thresholds and findings as JSON', async () => {
    const model = buildReportModel(await loadFixture('datapaths'));
    const doc = JSON.parse(renderJson(model)) as Record<string, unknown>;
    expect(doc.analysisSchemaVersion).toBe(1);
    expect(Array.isArray(doc.trials)).toBe(true);
    expect((doc.thresholds as unknown[]).length).toBe(4);
    expect(doc.findings).toHaveProperty('answers');
  });
});
