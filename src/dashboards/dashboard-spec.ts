/**
 * Dashboards as data: each panel's PromQL written once, here, and read by both the Grafana
 * builder (`build-dashboard.ts`, Grafana's foundation SDK) and the check that every expression
 * parses (`panel-rules.ts`, for `promtool check rules`).
 */

/** One query of a panel. */
export interface QuerySpec {
  /** PromQL; may use Grafana variables (`$run_id`, `$__rate_interval`). */
  expr: string;
  /** Series name in the legend, e.g. `{{trial}} p99`. */
  legend: string;
  /** One value per series at the end of the range (tables, bar gauges) instead of a time series. */
  instant?: boolean;
}

/** Panel kinds, each a Grafana visualization the SDK builds. */
export type PanelKind = 'timeseries' | 'table' | 'bargauge' | 'stat';

export interface PanelSpec {
  title: string;
  description: string;
  kind: PanelKind;
  /** Grafana unit id: `s`, `bps`, `percentunit`, `reqps`, `bytes`, `short`, `pps`. */
  unit: string;
  queries: QuerySpec[];
  /** Width in grid columns (of 24). @default 12 */
  width?: number;
}

/** A label-values variable (`label_values(metric, label)`), multi-select with "All". */
export interface VariableSpec {
  name: string;
  label: string;
  /** The metric (with matchers) whose label values are offered. */
  metric: string;
  labelName: string;
}

export interface DashboardSpec {
  /** Grafana uid and the file name (`<uid>.json`). */
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables: VariableSpec[];
  panels: PanelSpec[];
  /** Auto-refresh, e.g. `10s` for the live dashboard. */
  refresh?: string;
  /** Default time range start, e.g. `now-6h`. @default "now-1h" */
  from?: string;
}
