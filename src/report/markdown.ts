/**
 * The Markdown report: the same findings and tables as the HTML report, for pull requests, wikis
 * and CI summaries. Charts are the same vega-lite specs rendered to SVG; they come back as files
 * for the caller to write next to the Markdown (GitHub and most viewers refuse inline SVG and
 * data: URLs), referenced by relative path. Pure apart from awaiting the SVG renderer.
 */
import { stringify } from 'yaml';
import { methodParagraphs } from './method-text.js';
import { renderSvg } from './render-svg.js';
import type { ReportModel } from './report-model.js';
import type { Cell, Table } from './tables.js';

export interface MarkdownOptions {
  /**
   * Directory (relative to the Markdown file) to reference chart images in, e.g.
   * "report-charts". Undefined: no images (Markdown on stdout has nowhere to put them).
   */
  chartDirectory?: string;
}

export interface MarkdownReport {
  markdown: string;
  /** Chart files to write under `chartDirectory`: name → SVG text. */
  charts: { fileName: string; svg: string }[];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function cellText(cell: Cell): string {
  const text = escapeCell(cell.detail === undefined ? cell.text : `${cell.text} ${cell.detail}`);
  return cell.href === undefined ? text : `[${text}](${cell.href})`;
}

export function tableMarkdown(t: Table): string {
  const header = t.header.map((h) => (h === '' ? ' ' : escapeCell(h)));
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cellText).join(' | ')} |`),
  ].join('\n');
}

export async function renderMarkdown(
  model: ReportModel,
  options: MarkdownOptions = {},
): Promise<MarkdownReport> {
  const a = model.run.analysis;
  const f = model.findings;
  const out: string[] = [];
  const charts: MarkdownReport['charts'] = [];
  const chartById = new Map(model.charts.map((c) => [c.id, c]));
  const image = async (id: string): Promise<void> => {
    const chart = chartById.get(id);
    if (chart === undefined || options.chartDirectory === undefined) return;
    const fileName = `${chart.id}.svg`;
    charts.push({ fileName, svg: await renderSvg(chart.spec) });
    out.push(
      `![${chart.title}](${options.chartDirectory}/${fileName})`,
      '',
      `*${chart.title}.* ${chart.caption}`,
      '',
    );
  };
  const table = (t: Table, sectionTitle: string): void => {
    if (t.title !== sectionTitle) out.push(`### ${t.title}`, '');
    out.push(t.caption, '', tableMarkdown(t), '');
  };

  out.push(`# ${a.name}`, '');
  out.push(
    `Run \`${a.runId}\` · ${a.startedAt} · ${a.trials.length} trials · ${a.status} · netbench ${a.tool.version}`,
    '',
  );
  out.push('## The question', '', a.question ?? `What do the trials of "${a.name}" measure?`, '');
  out.push('## The answer', '');
  for (const x of f.answers) out.push(`- ${x.text}`);
  out.push('');
  if (f.comparisons.length > 0) {
    out.push('**Differences**', '');
    for (const x of f.comparisons) out.push(`- ${x.text}`);
    out.push('');
  }
  if (f.withinNoise.length > 0) {
    out.push(
      `**Within noise** (cannot be told from run-to-run variation): ${f.withinNoise.join(', ')}.`,
      '',
    );
  }
  if (f.warnings.length > 0) {
    out.push('> **Read with care**', '>');
    for (const w of f.warnings) out.push(`> - ${w}`);
    out.push('');
  }
  if (options.chartDirectory === undefined && model.charts.length > 0) {
    out.push(
      `*${model.charts.length} charts are left out: \`netbench report --format md --out FILE.md\` writes them as SVG files beside the Markdown.*`,
      '',
    );
  }

  const byId = new Map(model.tables.map((t) => [t.id, t]));
  const section = async (title: string, tableIds: string[], chartIds: string[]): Promise<void> => {
    const tables = tableIds.flatMap((id) =>
      id.endsWith('*')
        ? model.tables.filter((t) => t.id.startsWith(id.slice(0, -1)))
        : byId.has(id)
          ? [byId.get(id)!]
          : [],
    );
    const hasCharts = chartIds.some((id) => chartById.has(id));
    if (tables.length === 0 && !hasCharts) return;
    out.push(`## ${title}`, '');
    for (const t of tables) table(t, title);
    for (const id of chartIds) await image(id);
  };
  await section('Thresholds', ['thresholds'], []);
  await section('Latency', ['latency'], ['percentiles', 'distribution']);
  await section('Latency vs load', [], ['latency-vs-load']);
  await section('Overhead', ['overhead-*'], ['overhead']);
  await section('Service graph', ['graph-*'], ['graph-depth']);
  await section('Throughput', ['throughput'], ['throughput']);
  await section('Loss', ['loss'], ['loss']);
  await section('CPU and memory', ['resources'], ['resources']);
  await section('Policy verdicts in the lab', ['policy-verdicts'], []);
  await section('Packet captures', ['captures'], []);
  await section('Variability', ['variability'], []);
  out.push('## How sure are we?', '');
  for (const p of methodParagraphs(a)) out.push(p, '');
  out.push('## Run order', '');
  out.push(model.order.caption, '', tableMarkdown(model.order), '');
  await image('run-order');
  out.push('## Environment', '', tableMarkdown(model.environment), '');
  out.push('## Scenario', '', `From \`${a.scenarioSource}\`, every default applied:`, '');
  out.push('```yaml', stringify(a.scenario).trimEnd(), '```', '');
  return { markdown: `${out.join('\n').trimEnd()}\n`, charts };
}
