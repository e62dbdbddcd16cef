/**
 * The HTML report in a real browser: Debian's Chromium, headless, driven by playwright-core
 * (never `npx playwright install`). Each report is written to test-output/, opened from file://,
 * and must load with no console error, no request other than the file itself, every chart drawn
 * with marks and a real size, no horizontal scrolling on a laptop-width window, and print to PDF.
 * Screenshots land in test-output/ for a person to look at.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { buildReportModel } from '../../src/report/report-model.js';
import type { Results } from '../../src/results/schema.js';
import { loadFixture, withSyntheticSections } from '../unit/report/fixtures.js';

const chromiumPath = '/usr/bin/chromium';
const outputDir = new URL('../../test-output/browser/', import.meta.url).pathname;

let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `the browser tier needs Debian's chromium at ${chromiumPath}: run sh scripts/bootstrap.sh (or skip the tier loudly with NETBENCH_SKIP_BROWSER=1 in npm run check)`,
    );
  }
  await mkdir(outputDir, { recursive: true });
  profile = await mkdtemp(join(tmpdir(), 'netbench-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
  });
});

afterAll(async () => {
  await context?.close();
  if (profile !== undefined) await rm(profile, { recursive: true, force: true });
});

interface ChartInfo {
  id: string | null;
  width: number;
  height: number;
  marks: number;
  texts: number;
}

interface Case {
  name: string;
  /** What the case covers. */
  about: string;
  results: () => Promise<Results>;
}

const cases: Case[] = [
  {
    name: 'datapaths',
    about: 'recorded run with a baseline, thresholds and invalid repetitions',
    results: () => loadFixture('datapaths'),
  },
  {
    name: 'sweep',
    about: 'recorded rate sweep (latency vs load)',
    results: () => loadFixture('sweep'),
  },
  {
    name: 'all-sections',
    about: 'recorded run plus SYNTHETIC throughput, UDP and resource sections (seeded)',
    results: async () => withSyntheticSections(await loadFixture('datapaths')),
  },
];

describe('HTML report in headless Chromium', () => {
  for (const c of cases) {
    it(`loads from file:// with every chart drawn, offline and error-free: ${c.about}`, async () => {
      const model = buildReportModel(await c.results());
      const file = join(outputDir, `report-${c.name}.html`);
      await writeFile(file, await renderHtml(model));

      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${file}`, { waitUntil: 'load' });

      expect(problems).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);

      // Evaluated in the page as a string: this project's TypeScript has no DOM library.
      const charts = await page.evaluate<
        ChartInfo[]
      >(`[...document.querySelectorAll('figure[data-chart]')].map((f) => {
        const box = f.querySelector('svg')?.getBoundingClientRect();
        return {
          id: f.getAttribute('data-chart'),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          marks: f.querySelectorAll('[role="graphics-symbol"]').length,
          texts: f.querySelectorAll('svg text').length,
        };
      })`);
      expect(charts.map((x) => x.id)).toEqual(model.charts.map((x) => x.id));
      for (const chart of charts) {
        expect(chart.width, `${chart.id} width`).toBeGreaterThan(150);
        expect(chart.height, `${chart.id} height`).toBeGreaterThan(100);
        expect(chart.marks, `${chart.id} marks`).toBeGreaterThan(0);
        expect(chart.texts, `${chart.id} axis labels`).toBeGreaterThan(2);
      }

      // Readable on a laptop: nothing forces the page wider than a 1280-pixel window.
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);

      await page.screenshot({ path: join(outputDir, `report-${c.name}.png`), fullPage: true });
      // Printable: Chromium's print pipeline lays it out into pages.
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(20_000);
      await page.close();
    });
  }
});
