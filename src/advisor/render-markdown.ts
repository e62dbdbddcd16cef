/** The advice as Markdown (`netbench advise`, the default format). Pure. */
import type { Advice } from './advice-types.js';
import { costInputs, costTable, headline } from './render-lines.js';

const bullets = (title: string, items: readonly string[]): string[] =>
  items.length === 0 ? [] : [`**${title}**`, '', ...items.map((i) => `- ${i}`), ''];

export function renderAdviceMarkdown(advice: Advice): string {
  const out = ['# Recommendation', ''];
  if (advice.runs.length === 0) {
    out.push(
      '_No run given as evidence: the advice rests on the requirements and published figures (priors) only._',
      '',
    );
  } else {
    out.push(
      `Evidence: ${advice.runs.map((r) => `run ${r.runId} (${r.name}, ${r.platform}, ${r.repetitions.valid}/${r.repetitions.total} repetitions valid)`).join('; ')}.`,
      '',
    );
  }
  for (const r of advice.recommendations) {
    out.push(`## ${headline(r)}`, '');
    out.push(...bullets('Because', r.because));
    out.push(
      ...bullets(
        'Evidence',
        r.evidence.map((e) => e.text),
      ),
    );
    out.push(...bullets('Switch when', r.switchWhen));
    out.push(`Sources: ${r.sources.join('; ')}`, '');
  }
  if (advice.warnings.length > 0) {
    out.push('## Warnings', '');
    for (const w of advice.warnings) {
      out.push(
        `- **${w.code}**: ${w.message}${w.evidence.length > 0 ? ` (${w.evidence.map((e) => e.text).join('; ')})` : ''}`,
      );
    }
    out.push('');
  }
  const table = costTable(advice);
  out.push('## Cost model: proxies of each mesh, whole cluster', '', costInputs(advice), '');
  out.push(`| ${table.header.join(' | ')} |`, `|${table.header.map(() => '---').join('|')}|`);
  for (const row of table.rows) out.push(`| ${row.join(' | ')} |`);
  out.push('');
  for (const n of [
    ...advice.costModel.notes,
    ...advice.costModel.meshes.flatMap((m) => m.notes.map((x) => `${m.mesh}: ${x}`)),
  ]) {
    out.push(`- ${n}`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
