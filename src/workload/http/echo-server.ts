/**
 * The HTTP server of the http workload: answers every request with a fixed-size body (or
 * `?size=N` bytes), keep-alive, nothing else on the path. Runs in the server pod.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bytes } from '../../core/units.js';

export interface EchoServerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  payloadBytes: Bytes;
}

export interface EchoServer {
  readonly port: number;
  /** Requests answered so far. */
  served(): number;
  close(): Promise<void>;
}

const maxQuerySizeBytes = 64 * 1024 * 1024;

export async function startEchoServer(options: EchoServerOptions): Promise<EchoServer> {
  const body = Buffer.alloc(options.payloadBytes, 'x');
  const bodies = new Map<number, Buffer<ArrayBufferLike>>([[options.payloadBytes, body]]);
  let served = 0;
  const server: Server = createServer((req, res) => {
    let payload: Buffer<ArrayBufferLike> = body;
    const q = req.url?.indexOf('?size=') ?? -1;
    if (q >= 0) {
      const size = Number(req.url?.slice(q + 6));
      if (Number.isInteger(size) && size >= 0 && size <= maxQuerySizeBytes) {
        payload = bodies.get(size) ?? Buffer.alloc(size, 'x');
        if (bodies.size < 16) bodies.set(size, payload);
      }
    }
    // Drain any request body; the response does not depend on it.
    req.resume();
    req.on('end', () => {
      served += 1;
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': payload.length,
      });
      res.end(payload);
    });
  });
  // Longer than any client's idle time, so the server never closes a benchmark connection.
  server.keepAliveTimeout = 300_000;
  server.headersTimeout = 301_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
