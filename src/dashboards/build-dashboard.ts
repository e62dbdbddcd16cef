/**
 * DashboardSpec → Grafana dashboard JSON with Grafana's own foundation SDK, so the JSON follows
 * Grafana's schema instead of a hand-written copy of it. Every dashboard gets a Prometheus
 * datasource variable, so it imports into any Grafana whatever its datasource is called.
 */
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  DashboardBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type { DashboardSpec, PanelKind, PanelSpec } from './dashboard-spec.js';

const datasource = { type: 'prometheus', uid: '${datasource}' };

type PanelBuilder =
  timeseries.PanelBuilder | table.PanelBuilder | bargauge.PanelBuilder | stat.PanelBuilder;

const panelBuilders = {
  timeseries: () => new timeseries.PanelBuilder(),
  table: () => new table.PanelBuilder(),
  bargauge: () => new bargauge.PanelBuilder(),
  stat: () => new stat.PanelBuilder(),
} satisfies Record<PanelKind, () => PanelBuilder>;

function panel(spec: PanelSpec): cog.Builder<unknown> & PanelBuilder {
  const builder = panelBuilders[spec.kind]()
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(datasource)
    .span(spec.width ?? 12)
    .height(8);
  spec.queries.forEach((q, i) => {
    const query = new DataqueryBuilder()
      .expr(q.expr)
      .legendFormat(q.legend)
      .refId(String.fromCharCode(65 + i))
      .datasource(datasource);
    builder.withTarget(
      q.instant === true ? query.instant().format(PromQueryFormat.Table) : query.range(),
    );
  });
  return builder;
}

export function buildDashboard(spec: DashboardSpec): Dashboard {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(spec.tags)
    .time({ from: spec.from ?? 'now-1h', to: 'now' })
    .editable()
    .withVariable(
      new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'),
    );
  if (spec.refresh !== undefined) builder.refresh(spec.refresh);
  for (const v of spec.variables) {
    builder.withVariable(
      new QueryVariableBuilder(v.name)
        .label(v.label)
        .datasource(datasource)
        .query({ query: `label_values(${v.metric}, ${v.labelName})`, refId: 'variable' })
        .definition(`label_values(${v.metric}, ${v.labelName})`)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    );
  }
  for (const p of spec.panels) builder.withPanel(panel(p));
  return builder.build();
}
