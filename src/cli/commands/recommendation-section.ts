/**
 * The advisor's "Recommendation" section of report.html, for `run --requirements` and
 * `report --requirements`: the same advice `netbench advise` gives, from this run alone.
 */
import { renderAdviceHtml } from '../../advisor/render-html.js';
import type { Requirements } from '../../advisor/requirements-schema.js';
import type { ReportSection } from '../../report/html.js';
import type { Results } from '../../results/schema.js';
import { adviceFor, loadRequirementsFile } from './advise.js';

export async function loadRequirementsOption(
  path: string | undefined,
  cwd: string,
): Promise<Requirements | undefined> {
  return path === undefined ? undefined : loadRequirementsFile(path, cwd);
}

/** The section for these requirements and this run; none without requirements. */
export function recommendationSection(
  requirements: Requirements | undefined,
  results: Results,
): ReportSection[] {
  if (requirements === undefined) return [];
  return [
    {
      id: 'recommendation',
      title: 'Recommendation',
      html: renderAdviceHtml(adviceFor(requirements, [results])),
    },
  ];
}

export async function recommendationSections(
  path: string | undefined,
  cwd: string,
  results: Results,
): Promise<ReportSection[]> {
  return recommendationSection(await loadRequirementsOption(path, cwd), results);
}
