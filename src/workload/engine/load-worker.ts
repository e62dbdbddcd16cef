/**
 * One worker thread of a multi-threaded generator. The coordinator (./run-load.ts) starts it
 * from the built dist/ tree (a worker thread runs plain JavaScript, also under the tests, which
 * run after the build); the same file, imported on the main thread, only exports the starter.
 *
 * Protocol: worker → `primed` (connections open) → coordinator → `go` (common start time) →
 * worker → `progress`… → `result` | `error`.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { TransportConfig } from '../../agent/agent-protocol.js';
import { openTransport } from '../transports.js';
import { runEngine, type EngineResult, type LoadProgress } from './open-loop.js';

export interface LoadWorkerData {
  role: 'netbench-load-worker';
  transport: TransportConfig;
  rate: number | 'max';
  warmupS: number;
  durationS: number;
  timeoutS: number;
  share: { index: number; of: number };
}

export type LoadWorkerMessage =
  | { type: 'primed' }
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'result'; result: EngineResult }
  | { type: 'error'; message: string; code?: string; hint?: string };

export type LoadCoordinatorMessage = { type: 'go'; startNs: string } | { type: 'abort' };

const workerFile = fileURLToPath(
  new URL('../../../dist/workload/engine/load-worker.js', import.meta.url),
);

export function startLoadWorker(data: Omit<LoadWorkerData, 'role'>): Worker {
  const full: LoadWorkerData = { role: 'netbench-load-worker', ...data };
  return new Worker(workerFile, { workerData: full });
}

async function workerMain(data: LoadWorkerData): Promise<void> {
  const port = parentPort!;
  const post = (m: LoadWorkerMessage): void => port.postMessage(m);
  const abort = new AbortController();
  const transport = openTransport(data.transport, data.timeoutS);
  try {
    await transport.prime();
    post({ type: 'primed' });
    const startNs = await new Promise<bigint>((resolve, reject) => {
      port.on('message', (m: LoadCoordinatorMessage) => {
        if (m.type === 'go') resolve(BigInt(m.startNs));
        else {
          abort.abort();
          reject(new Error('aborted'));
        }
      });
    });
    const result = await runEngine({
      slots: transport.slots,
      rate: data.rate,
      warmupS: data.warmupS,
      durationS: data.durationS,
      timeoutS: data.timeoutS,
      startNs,
      share: data.share,
      signal: abort.signal,
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    post({ type: 'result', result });
  } catch (error) {
    const e = error as Error & { code?: string; hint?: string };
    post({
      type: 'error',
      message: e.message,
      ...(e.code === undefined ? {} : { code: e.code }),
      ...(e.hint === undefined ? {} : { hint: e.hint }),
    });
  } finally {
    await transport.close();
    port.close();
  }
}

if (
  !isMainThread &&
  (workerData as Partial<LoadWorkerData> | null)?.role === 'netbench-load-worker'
) {
  void workerMain(workerData as LoadWorkerData);
}
