/**
 * Everything a rendered report shows, assembled once from results.json: the analysis, the
 * thresholds' outcomes, the findings, the tables and the chart specs. Every format (HTML,
 * Markdown, CSV, JSON) renders this model, so they never disagree. Pure.
 */
import type { Results } from '../results/schema.js';
import {
  evaluateThresholds,
  scenarioThresholds,
  type ThresholdOutcome,
} from '../analysis/thresholds.js';
import { analyzeResults, type AnalysisOptions, type AnalyzedRun } from '../analysis/analyze.js';
import { buildCharts, type ChartSpec } from './charts.js';
import { buildFindings, type Findings } from '../analysis/findings.js';
import { meshTable } from './mesh-table.js';
import { graphTables } from './graph-tables.js';
import { graphDepthChart } from './graph-chart.js';
import { captureTable, policyCountersTable } from './observability-tables.js';
import { buildTables, environmentTable, orderTable, type Table } from './tables.js';

export interface ReportModel {
  run: AnalyzedRun;
  thresholds: ThresholdOutcome[];
  findings: Findings;
  tables: Table[];
  order: Table;
  environment: Table;
  charts: ChartSpec[];
}

export function buildReportModel(results: Results, options: AnalysisOptions = {}): ReportModel {
  const run = analyzeResults(results, options);
  const { thresholds, invalid } = scenarioThresholds(results.scenario);
  const outcomes = [...invalid, ...evaluateThresholds(run.analysis, thresholds)];
  return {
    run,
    thresholds: outcomes,
    findings: buildFindings(run, outcomes),
    tables: [
      ...buildTables(
        run.analysis,
        outcomes,
        meshTable(results, run.analysis),
        policyCountersTable(results),
        captureTable(results),
      ),
      ...graphTables(results),
    ],
    order: orderTable(run.analysis),
    environment: environmentTable(run.analysis),
    charts: [...buildCharts(run.analysis), graphDepthChart(results)].filter(
      (c): c is ChartSpec => c !== undefined,
    ),
  };
}
