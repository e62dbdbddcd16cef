/**
 * A real Prometheus server, Pushgateway and promtool for the observability tests (Debian
 * `prometheus`, `prometheus-pushgateway`; scripts/bootstrap.sh installs them). Each server runs on
 * a free loopback port with its own data directory and is stopped by the test. When a binary is
 * missing the test fails with the package to install: these tests never skip silently.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProcessRunner, type RunningProcess } from '../../src/core/process-runner.js';

const runner = createProcessRunner();

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs promtool with `args`, `input` on stdin; returns exit code and output. */
export async function promtool(
  args: readonly string[],
  input?: string,
): Promise<{ exitCode: number; output: string }> {
  const r = await runner.run({
    argv: ['promtool', ...args],
    allowFailure: true,
    timeoutMs: 60_000,
    ...(input === undefined ? {} : { input }),
  });
  return { exitCode: r.exitCode, output: `${r.stdout}${r.stderr}` };
}

async function waitHttp(
  url: string,
  what: string,
  process: RunningProcess,
  log: () => string,
): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    const exited = await Promise.race([
      process.exited,
      new Promise((r) => setTimeout(r, 100, undefined)),
    ]);
    if (exited !== undefined) throw new Error(`${what} exited before it was ready:\n${log()}`);
  }
  throw new Error(`${what} did not become ready at ${url} in 30 s:\n${log()}`);
}

export interface LocalServer {
  url: string;
  stop(): Promise<void>;
}

async function startServer(
  argv: readonly string[],
  readyPath: string,
  port: number,
  cleanup: () => Promise<void>,
): Promise<LocalServer> {
  const process = await runner.start({ argv });
  let log = '';
  process.stdout.on('data', (d: Buffer) => (log += d.toString()));
  process.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    process.kill('SIGTERM');
    await process.exited;
    await cleanup();
  };
  try {
    await waitHttp(`${url}${readyPath}`, argv[0]!, process, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

export async function startPushgateway(): Promise<LocalServer> {
  const port = await freePort();
  return startServer(
    ['prometheus-pushgateway', `--web.listen-address=127.0.0.1:${port}`],
    '/-/ready',
    port,
    () => Promise.resolve(),
  );
}

export interface ScrapeTarget {
  job: string;
  /** host:port */
  target: string;
  /** Keep the job/instance labels the target exposes (needed for a Pushgateway). */
  honorLabels?: boolean;
}

export interface PrometheusServer extends LocalServer {
  /** An instant query; the result vector. */
  query(expr: string): Promise<PromSample[]>;
  /** Polls `expr` until it returns at least `count` series (scrapes are once a second). */
  waitForSeries(expr: string, count: number): Promise<PromSample[]>;
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export async function startPrometheus(targets: readonly ScrapeTarget[]): Promise<PrometheusServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'netbench-prometheus-'));
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    'scrape_configs:',
    ...targets.flatMap((t) => [
      `  - job_name: ${t.job}`,
      `    honor_labels: ${t.honorLabels === true}`,
      '    static_configs:',
      `      - targets: ['${t.target}']`,
    ]),
    '',
  ].join('\n');
  await writeFile(join(dir, 'prometheus.yml'), config);
  const server = await startServer(
    [
      'prometheus',
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    '/-/ready',
    port,
    () => rm(dir, { recursive: true, force: true }),
  );
  const query = async (expr: string): Promise<PromSample[]> => {
    const r = await fetch(`${server.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await r.json()) as {
      status: string;
      error?: string;
      data?: {
        resultType: string;
        result: { metric: Record<string, string>; value: [number, string] }[];
      };
    };
    if (body.status !== 'success' || body.data === undefined) {
      throw new Error(`query ${expr} failed: ${body.error ?? r.status}`);
    }
    if (body.data.resultType !== 'vector') throw new Error(`query ${expr} is not a vector`);
    return body.data.result.map((s) => ({ metric: s.metric, value: Number(s.value[1]) }));
  };
  const waitForSeries = async (expr: string, count: number): Promise<PromSample[]> => {
    let last: PromSample[] = [];
    for (let i = 0; i < 300; i++) {
      last = await query(expr);
      if (last.length >= count) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${expr} returned ${last.length} series, not ${count}, within 60 s`);
  };
  return { ...server, query, waitForSeries };
}
