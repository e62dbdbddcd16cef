import type { DashboardSpec } from './dashboard-spec.js';
import { fieldGuideDashboards } from './field-guide-dashboards.js';
import { netbenchLiveDashboard, netbenchRunDashboard } from './netbench-dashboards.js';

/** Every dashboard `netbench dashboards` writes. */
export const dashboards: readonly DashboardSpec[] = [
  netbenchRunDashboard,
  netbenchLiveDashboard,
  ...fieldGuideDashboards,
];
