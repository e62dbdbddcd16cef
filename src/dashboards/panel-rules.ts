/**
 * Every panel expression of built dashboards as a Prometheus rules file, so `promtool check
 * rules` parses each one (a syntax or type error in a panel is a failed check, not a blank panel
 * in Grafana). Grafana's variables are replaced by values PromQL accepts: `$__rate_interval` and
 * the other interval variables by `5m`, a dashboard variable by `.*` (they sit in `=~` matchers).
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { stringify } from 'yaml';

/** One panel expression and where it comes from. */
export interface PanelExpression {
  dashboard: string;
  panel: string;
  /** As written in the dashboard. */
  expr: string;
  /** With Grafana's variables substituted: what promtool checks. */
  promql: string;
}

/** Grafana's variables → PromQL that parses. */
export function substituteGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b/g, '5m')
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, '.*');
}

interface TargetLike {
  expr?: unknown;
}

export function panelExpressions(dashboard: Dashboard): PanelExpression[] {
  const out: PanelExpression[] = [];
  for (const panel of dashboard.panels ?? []) {
    if (!('targets' in panel)) continue;
    for (const target of (panel.targets ?? []) as TargetLike[]) {
      if (typeof target.expr !== 'string') continue;
      out.push({
        dashboard: dashboard.uid ?? dashboard.title ?? '',
        panel: panel.title ?? '',
        expr: target.expr,
        promql: substituteGrafanaVariables(target.expr),
      });
    }
  }
  return out;
}

/** A rules file with one recording rule per panel expression, one group per dashboard. */
export function panelRulesFile(built: readonly Dashboard[]): string {
  const groups = built.map((d) => ({
    name: d.uid ?? d.title,
    rules: panelExpressions(d).map((e, i) => ({
      record: `netbench_dashboard:${(d.uid ?? 'panel').replace(/[^a-zA-Z0-9_]/g, '_')}:${i}`,
      expr: e.promql,
      labels: { panel: e.panel },
    })),
  }));
  return stringify({ groups }, { lineWidth: 0 });
}
