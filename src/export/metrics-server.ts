/**
 * The `/metrics` endpoint of `netbench run --metrics-port N`, on loopback. When the run ends it
 * stays up until the final state has been scraped once (at most `finalScrapeWaitMs`), as long
 * as something has scraped it before: otherwise Prometheus would keep the state of one scrape
 * interval earlier and never see the last repetition finish.
 */
import { createServer, type Server } from 'node:http';
import { NetbenchError } from '../core/errors.js';
import type { LiveMetrics } from './live-metrics.js';

export interface MetricsServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** @default "127.0.0.1" */
  host?: string;
  live: LiveMetrics;
  /** How long `close` waits for a scraper to see the final state. @default 15000 */
  finalScrapeWaitMs?: number;
}

export interface MetricsServer {
  url: string;
  port: number;
  /** Stops serving; with `waitForScrape`, first waits for a scrape of the final state. */
  close(options?: { waitForScrape: boolean }): Promise<void>;
}

const contentType = 'text/plain; version=0.0.4; charset=utf-8';

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new NetbenchError(
          'NB_METRICS_PORT_BUSY',
          `cannot serve metrics on ${host}:${port}: ${error.code ?? error.message}`,
          {
            hint:
              error.code === 'EADDRINUSE'
                ? `another process listens on ${port}; pick another --metrics-port (0 picks a free one)`
                : 'pick a --metrics-port from 1024 to 65535',
          },
        ),
      );
    });
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

export async function startMetricsServer(o: MetricsServerOptions): Promise<MetricsServer> {
  const host = o.host ?? '127.0.0.1';
  let scrapedVersion = -1;
  let onScrape: (() => void) | undefined;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('netbench serves /metrics only\n');
      return;
    }
    const version = o.live.version;
    o.live.render().then(
      (text) => {
        res.writeHead(200, { 'content-type': contentType }).end(text);
        scrapedVersion = Math.max(scrapedVersion, version);
        onScrape?.();
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
      },
    );
  });
  const port = await listen(server, o.port, host);
  const waitForFinalScrape = (): Promise<void> => {
    if (scrapedVersion < 0 || scrapedVersion >= o.live.version) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, o.finalScrapeWaitMs ?? 15_000);
      onScrape = () => {
        if (scrapedVersion >= o.live.version) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
  };
  return {
    url: `http://${host}:${port}/metrics`,
    port,
    async close(options = { waitForScrape: true }) {
      if (options.waitForScrape) await waitForFinalScrape();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
