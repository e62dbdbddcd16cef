/**
 * The summary CSV: one row per trial with every figure, its interval bounds and how many valid
 * repetitions it rests on, then its overhead against each baseline. (results.csv, written by
 * `run`, has one row per repetition; this one is the analysis.) Pure.
 */
import { overheadFigures } from '../analysis/analyze.js';
import { figureKeys, figureTable } from '../spec/figures.js';
import type { ReportModel } from './report-model.js';
import { valueText } from '../analysis/format.js';
import { dimensionNames } from '../spec/dimensions.js';

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s =
    typeof value === 'number'
      ? Number.isFinite(value)
        ? String(Number(value.toPrecision(6)))
        : ''
      : valueText(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(model: ReportModel): string {
  const a = model.run.analysis;
  const dims = dimensionNames;
  const header = ['trial', ...dims, 'valid_repetitions', 'repetitions', 'requests'];
  for (const f of figureKeys) {
    const name = figureTable[f].csvColumn;
    header.push(name, `${name}_ci_low`, `${name}_ci_high`, `${name}_ci_covers`);
  }
  for (const o of a.overheads) {
    header.push(`vs_${o.dimension}_baseline_trial`);
    for (const f of overheadFigures) {
      const base = `vs_${o.dimension}_${f}`;
      header.push(
        `${base}_relative_change`,
        `${base}_ci_low`,
        `${base}_ci_high`,
        `${base}_verdict`,
      );
    }
  }
  const rows = [header.map(cell).join(',')];
  for (const t of a.trials) {
    const row: unknown[] = [
      t.id,
      ...dims.map((d) => t.dimensions[d]),
      t.repetitions.ok,
      t.repetitions.total,
      t.requests,
    ];
    for (const f of figureKeys) {
      const e = t.figures[f];
      row.push(e?.value, e?.low, e?.high, e?.covers);
    }
    for (const o of a.overheads) {
      const r = o.rows.find((x) => x.trialId === t.id);
      row.push(r?.baselineTrialId);
      for (const f of overheadFigures) {
        const d = r?.figures[f];
        row.push(d?.value, d?.low, d?.high, d?.verdict);
      }
    }
    rows.push(row.map(cell).join(','));
  }
  return `${rows.join('\n')}\n`;
}

/** The analysis as JSON: everything the other formats show, for scripts. */
export function renderJson(model: ReportModel): string {
  return `${JSON.stringify(
    {
      ...model.run.analysis,
      thresholds: model.thresholds,
      findings: model.findings,
    },
    null,
    2,
  )}\n`;
}
