/**
 * `netbench dashboards --out DIR`: Grafana dashboard JSON (built with Grafana's foundation SDK)
 * for netbench's metrics and the field guide's four cluster dashboards, one `<uid>.json` each;
 * `--rules FILE` also writes every panel's PromQL as a rules file for `promtool check rules`.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { NetbenchError } from '../../core/errors.js';
import { buildDashboard } from '../../dashboards/build-dashboard.js';
import { dashboards } from '../../dashboards/index.js';
import { panelRulesFile } from '../../dashboards/panel-rules.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../output.js';
import { writeFileOrFail } from '../write-output.js';

export interface DashboardsFlags {
  out: string;
  rules?: string;
  json?: boolean;
}

export async function dashboardsCommand(flags: DashboardsFlags, ctx: CliContext): Promise<number> {
  const dir = resolve(ctx.cwd, flags.out);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new NetbenchError(
      'NB_FILE_UNWRITABLE',
      `cannot create ${dir}: ${(error as Error).message}`,
      {
        hint: 'choose a writable --out directory',
      },
    );
  }
  const built = dashboards.map((spec) => ({ spec, dashboard: buildDashboard(spec) }));
  const files: { uid: string; title: string; file: string; panels: number }[] = [];
  for (const { spec, dashboard } of built) {
    const file = join(dir, `${spec.uid}.json`);
    await writeFileOrFail(file, `${JSON.stringify(dashboard, null, 2)}\n`);
    files.push({ uid: spec.uid, title: spec.title, file, panels: spec.panels.length });
  }
  const rules = flags.rules === undefined ? undefined : resolve(ctx.cwd, flags.rules);
  if (rules !== undefined)
    await writeFileOrFail(rules, panelRulesFile(built.map((b) => b.dashboard)));
  if (flags.json === true) writeJson(ctx.stdout, { dashboards: files, rules: rules ?? null });
  else {
    for (const f of files) writeLine(ctx.stdout, f.file);
    if (rules !== undefined) writeLine(ctx.stdout, rules);
    writeLine(
      ctx.stderr,
      `wrote ${files.length} dashboards to ${dir}; import them in Grafana (Dashboards → New → Import)`,
    );
  }
  return 0;
}
