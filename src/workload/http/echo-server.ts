/**
 * The HTTP server of the http workload: answers every request with a fixed-size body (or
 * `?size=N` bytes), keep-alive, nothing else on the path. Runs in the server pod. `h2c` serves
 * HTTP/2 over cleartext (prior knowledge) instead of HTTP/1.1.
 */
import { createServer, type Server } from 'node:http';
import {
  createServer as createH2Server,
  constants as h2,
  type ServerHttp2Session,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { Bytes } from '../../core/units.js';

export interface EchoServerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  payloadBytes: Bytes;
  /** @default "http1" */
  protocol?: 'http1' | 'h2c';
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
  const payloadFor = (url: string | undefined): Buffer<ArrayBufferLike> => {
    const q = url?.indexOf('?size=') ?? -1;
    if (q < 0) return body;
    const size = Number(url?.slice(q + 6));
    if (!Number.isInteger(size) || size < 0 || size > maxQuerySizeBytes) return body;
    const payload = bodies.get(size) ?? Buffer.alloc(size, 'x');
    if (bodies.size < 16) bodies.set(size, payload);
    return payload;
  };
  if (options.protocol === 'h2c') return startH2(options, payloadFor);
  const server: Server = createServer((req, res) => {
    const payload = payloadFor(req.url);
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

async function startH2(
  options: EchoServerOptions,
  payloadFor: (url: string | undefined) => Buffer<ArrayBufferLike>,
): Promise<EchoServer> {
  let served = 0;
  const server = createH2Server({ peerMaxConcurrentStreams: 1000 });
  server.on('stream', (stream, headers) => {
    const payload = payloadFor(headers[h2.HTTP2_HEADER_PATH] as string | undefined);
    stream.on('error', () => undefined);
    stream.resume();
    served += 1;
    stream.respond({
      [h2.HTTP2_HEADER_STATUS]: 200,
      'content-type': 'application/octet-stream',
      'content-length': payload.length,
    });
    stream.end(payload);
  });
  server.on('sessionError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}
