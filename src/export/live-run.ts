/** Live metrics of one run: the observer to give the runner, and the `/metrics` server. */
import { NetbenchError } from '../core/errors.js';
import type { RunObserver } from '../matrix/run-scenario.js';
import { loadResults } from '../results/results-store.js';
import { createLiveMetrics } from './live-metrics.js';
import { startMetricsServer } from './metrics-server.js';

export interface LiveRunMetrics {
  observer: RunObserver;
  url: string;
  /** Stops serving; with `waitForScrape`, once the final state has been scraped (when someone scrapes). */
  close(options: { waitForScrape: boolean }): Promise<void>;
}

/** `--metrics-port` as typed → a port number (0: any free port). */
export function parseMetricsPort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `--metrics-port ${JSON.stringify(raw)} is not a port number`,
      { hint: 'e.g. --metrics-port 9464 (0 picks a free port)' },
    );
  }
  return port;
}

export async function startLiveRunMetrics(o: {
  port: number;
  runId: string;
  plannedRepetitions: number;
  /** Where results.json is written. */
  outDir: string;
}): Promise<LiveRunMetrics> {
  const live = createLiveMetrics({
    runId: o.runId,
    plannedRepetitions: o.plannedRepetitions,
    // Before the first save there is no results.json yet: only the live figures are served.
    readResults: () => loadResults(o.outDir).catch(() => undefined),
  });
  const server = await startMetricsServer({ port: o.port, live });
  return { observer: live.observer, url: server.url, close: (options) => server.close(options) };
}
