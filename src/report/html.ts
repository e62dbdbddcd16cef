/**
 * The HTML report: one self-contained file (inline CSS, charts as inline SVG, no script, no
 * external resource), readable on a laptop, printable, and viewable from file:// or a CI
 * artifact viewer that blocks JavaScript. The question and the answer come first; then the
 * tables and charts; then how sure we are, the run order, the environment and the exact scenario.
 * Pure apart from awaiting the SVG renderer.
 */
import { stringify } from 'yaml';
import type { ChartSpec } from './charts.js';
import type { Finding } from '../analysis/findings.js';
import { methodParagraphs } from './method-text.js';
import { renderSvg } from './render-svg.js';
import type { ReportModel } from './report-model.js';
import type { Cell, Table } from './tables.js';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const style = `
:root { --fg: #1d2125; --muted: #5f6b76; --line: #d9dee3; --bg-alt: #f6f8fa; --sig: #b42318;
  --sig-bg: #fdecea; --noise: #1f5f9e; --noise-bg: #e8f1fb; --pass: #1a7f37; --pass-bg: #e6f4ea; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 8px; }
p.meta, .caption, figcaption { color: var(--muted); font-size: 13px; }
.answer { background: var(--bg-alt); border: 1px solid var(--line); border-radius: 8px; padding: 6px 20px 14px; }
.question { font-size: 17px; }
ul.findings { padding-left: 20px; margin: 6px 0; }
ul.findings li { margin: 4px 0; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; padding: 0 7px; border-radius: 10px; margin-right: 6px; }
.badge.significant, td.significant { color: var(--sig); background: var(--sig-bg); }
.badge.within-noise, td.within-noise { color: var(--noise); background: var(--noise-bg); }
.badge.unknown, td.unknown { color: var(--muted); background: #eee; }
td.pass { color: var(--pass); background: var(--pass-bg); font-weight: 600; }
td.fail { color: var(--sig); background: var(--sig-bg); font-weight: 600; }
td.muted { color: var(--muted); }
td small { color: var(--muted); }
.table-wrap { overflow-x: auto; }
td.significant small, td.within-noise small { color: inherit; }
.warnings { border-left: 4px solid #e3a008; background: #fffbea; padding: 4px 16px; margin-top: 12px; }
nav.toc { font-size: 13px; margin: 18px 0 0; }
nav.toc a { margin-right: 12px; color: var(--noise); text-decoration: none; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg-alt); font-weight: 600; }
tbody tr:nth-child(even) td:not([class]) { background: #fbfcfd; }
figure.chart { margin: 16px 0 8px; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { margin-bottom: 6px; }
figcaption b { color: var(--fg); }
pre { background: var(--bg-alt); border: 1px solid var(--line); padding: 12px; overflow-x: auto; font-size: 12px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print {
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  figure.chart, table, .answer { break-inside: avoid; }
  figure.chart, .table-wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 14mm; }
`;

function cellHtml(cell: Cell, tag: 'td' | 'th'): string {
  const cls = cell.tone === undefined ? '' : ` class="${cell.tone}"`;
  const detail = cell.detail === undefined ? '' : `<br><small>${escapeHtml(cell.detail)}</small>`;
  return `<${tag}${cls}>${escapeHtml(cell.text)}${detail}</${tag}>`;
}

function tableHtml(t: Table, withTitle = true): string {
  const head = t.header.some((h) => h !== '')
    ? `<thead><tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`
    : '';
  const body = t.rows
    .map(
      (r) =>
        `<tr>${r.map((cell, i) => cellHtml(cell, i === 0 && t.header[0] === '' ? 'th' : 'td')).join('')}</tr>`,
    )
    .join('\n');
  return `${withTitle ? `<h3 id="table-${t.id}">${escapeHtml(t.title)}</h3>` : ''}
<p class="caption">${escapeHtml(t.caption)}</p>
<div class="table-wrap"><table data-table="${t.id}">${head}<tbody>
${body}
</tbody></table></div>`;
}

async function chartHtml(chart: ChartSpec): Promise<string> {
  const svg = await renderSvg(chart.spec);
  return `<figure class="chart" id="chart-${chart.id}" data-chart="${chart.id}">
<figcaption><b>${escapeHtml(chart.title)}.</b> ${escapeHtml(chart.caption)}</figcaption>
${svg}
</figure>`;
}

function findingHtml(f: Finding): string {
  const badge =
    f.verdict === undefined
      ? ''
      : `<span class="badge ${f.verdict}">${f.verdict === 'within-noise' ? 'within noise' : f.verdict === 'significant' ? 'significant' : 'no verdict'}</span>`;
  return `<li>${badge}${escapeHtml(f.text)}</li>`;
}

interface Section {
  id: string;
  title: string;
  html: string;
}

export async function renderHtml(model: ReportModel): Promise<string> {
  const a = model.run.analysis;
  const charts = new Map<string, string>();
  for (const chart of model.charts) charts.set(chart.id, await chartHtml(chart));
  const tables = new Map(model.tables.map((t) => [t.id, t]));
  // A section holding one table takes the table's title as its own.
  const take = (id: string, withTitle = false): string => {
    const t = tables.get(id);
    return t === undefined ? '' : tableHtml(t, withTitle);
  };
  const chart = (id: string): string => charts.get(id) ?? '';
  const f = model.findings;
  const reps = a.scenario.repetitions;

  const sections: Section[] = [];
  const add = (id: string, title: string, html: string): void => {
    if (html.trim() !== '') sections.push({ id, title, html });
  };
  add('thresholds', 'Thresholds', take('thresholds'));
  add('latency', 'Latency', `${take('latency')}${chart('percentiles')}${chart('distribution')}`);
  add('load', 'Latency vs load', chart('latency-vs-load'));
  add(
    'overhead',
    'Overhead',
    `${model.tables
      .filter((t) => t.id.startsWith('overhead-'))
      .map((t) => tableHtml(t))
      .join('\n')}${chart('overhead')}`,
  );
  add('throughput', 'Throughput', `${take('throughput')}${chart('throughput')}`);
  add('loss', 'Loss', `${take('loss')}${chart('loss')}`);
  add('resources', 'CPU and memory', `${take('resources')}${chart('resources')}`);
  add('variability', 'Variability', take('variability'));
  add(
    'method',
    'How sure are we?',
    methodParagraphs(a)
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('\n'),
  );
  add('order', 'Run order', `${tableHtml(model.order, false)}${chart('run-order')}`);
  add('environment', 'Environment', tableHtml(model.environment, false));
  add(
    'scenario',
    'Scenario',
    `<p class="caption">Exactly what ran, every default applied (from ${escapeHtml(a.scenarioSource)}).</p><pre>${escapeHtml(stringify(a.scenario))}</pre>`,
  );

  const answer = `<section class="answer" id="answer">
<h2 style="border:0;margin-top:8px">The question</h2>
<p class="question">${escapeHtml(a.question ?? `What do the ${a.trials.length} trials of scenario "${a.name}" measure? (Add a \`description:\` to the scenario to state the question here.)`)}</p>
<h2 style="border:0;margin-top:8px">The answer</h2>
<ul class="findings">${f.answers.map(findingHtml).join('')}</ul>
${f.comparisons.length > 0 ? `<h3>Differences</h3><ul class="findings">${f.comparisons.map(findingHtml).join('')}</ul>` : ''}
${f.withinNoise.length > 0 ? `<p><b>Within noise</b> (cannot be told from run-to-run variation): ${escapeHtml(f.withinNoise.join(', '))}.</p>` : ''}
${f.warnings.length > 0 ? `<div class="warnings"><h3>Read with care</h3><ul class="findings">${f.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></div>` : ''}
</section>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>netbench report: ${escapeHtml(a.name)} (${escapeHtml(a.runId)})</title>
<style>${style}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(a.name)}</h1>
<p class="meta">run ${escapeHtml(a.runId)} · ${escapeHtml(a.startedAt)} · ${a.trials.length} trials × ${reps ?? '?'} repetitions · ${escapeHtml(a.status)} · netbench ${escapeHtml(a.tool.version)}</p>
</header>
${answer}
<nav class="toc">${sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('')}</nav>
${sections.map((s) => `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`).join('\n')}
<footer>Rendered by netbench ${escapeHtml(a.tool.version)} from results.json alone (analysis schema ${a.analysisSchemaVersion}); \`netbench report\` re-renders it offline.</footer>
</main>
</body>
</html>
`;
}
