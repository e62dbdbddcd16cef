/**
 * The advice as HTML: the "Recommendation" section of report.html (when `--requirements` is
 * given to `run` or `report`) and the body of `netbench advise -f html`. Pure.
 */
import type { Advice } from './advice-types.js';
import { costInputs, costTable, headline } from './render-lines.js';

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const list = (title: string, items: readonly string[]): string =>
  items.length === 0
    ? ''
    : `<p><b>${escape(title)}</b></p><ul class="findings">${items.map((i) => `<li>${escape(i)}</li>`).join('')}</ul>`;

/** The section's inner HTML (the caller adds its heading). */
export function renderAdviceHtml(advice: Advice): string {
  const recs = advice.recommendations
    .map(
      (r) => `<h3 id="advice-${r.decision}">${escape(headline(r))}</h3>
${list('Because', r.because)}${list(
        'Evidence',
        r.evidence.map((e) => e.text),
      )}${list('Switch when', r.switchWhen)}
<p class="caption">Sources: ${escape(r.sources.join('; '))}</p>`,
    )
    .join('\n');
  const warnings =
    advice.warnings.length === 0
      ? ''
      : `<div class="warnings"><h3>Warnings</h3><ul class="findings">${advice.warnings.map((w) => `<li><b>${escape(w.code)}</b>: ${escape(w.message)}</li>`).join('')}</ul></div>`;
  const t = costTable(advice);
  const table = `<h3>Cost model: proxies of each mesh, whole cluster</h3>
<p class="caption">${escape(costInputs(advice))}</p>
<div class="table-wrap"><table data-table="advice-cost"><thead><tr>${t.header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>
${t.rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table></div>`;
  return `${recs}\n${warnings}\n${table}`;
}

/** A standalone page for `netbench advise -f html`. */
export function renderAdvicePage(advice: Advice): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>netbench advice</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:0 auto;padding:24px}table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #d9dee3;padding:5px 8px;text-align:left}.caption{color:#5f6b76;font-size:13px}.warnings{border-left:4px solid #e3a008;background:#fffbea;padding:4px 16px}</style>
</head>
<body><main><h1>Recommendation</h1>
${renderAdviceHtml(advice)}
</main></body></html>
`;
}
