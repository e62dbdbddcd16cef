/**
 * HTTP/2 slots for the request engine: `connections` cleartext HTTP/2 sessions (h2c, prior
 * knowledge, as between mesh proxies), each carrying up to `streams` concurrent streams; every
 * stream is one slot. node:http2 rather than undici because undici 7 speaks HTTP/2 only over TLS
 * (ALPN), and the point here is the protocol's framing and multiplexing, not TLS.
 */
import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import type { EngineSlot } from '../engine/open-loop.js';
import type { Transport } from '../engine/transport.js';
import { unreachable } from '../engine/transport.js';

export interface H2TransportOptions {
  url: string;
  connections: number;
  /** Concurrent streams per session. */
  streams: number;
  timeoutS: number;
}

export function openH2Transport(o: H2TransportOptions): Transport {
  const url = new URL(o.url);
  const path = `${url.pathname}${url.search}`;
  const timeoutMs = Math.round(o.timeoutS * 1000);
  const sessions: ClientHttp2Session[] = [];
  const requestHeaders = {
    [constants.HTTP2_HEADER_PATH]: path,
    [constants.HTTP2_HEADER_METHOD]: 'GET',
  };

  const slotOf = (sessionIndex: number): EngineSlot => ({
    send(done) {
      const session = sessions[sessionIndex];
      if (session === undefined || session.destroyed || session.closed) {
        done({ ok: false, kind: 'session_closed', timeout: false });
        return;
      }
      let bytes = 0;
      let status = 0;
      let settled = false;
      const settle = (outcome: Parameters<typeof done>[0]): void => {
        if (settled) return;
        settled = true;
        done(outcome);
      };
      const stream = session.request(requestHeaders, { endStream: true });
      stream.setTimeout(timeoutMs, () => {
        settle({ ok: false, kind: 'timeout', timeout: true, bytes });
        stream.close(constants.NGHTTP2_CANCEL);
      });
      stream.on('response', (headers: IncomingHttpHeaders) => {
        status = Number(headers[constants.HTTP2_HEADER_STATUS] ?? 0);
      });
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      stream.on('end', () => {
        settle(
          status >= 400 || status === 0
            ? { ok: false, kind: `http_${status}`, timeout: false, bytes }
            : { ok: true, bytes },
        );
      });
      stream.on('error', (error: Error & { code?: string }) => {
        settle({ ok: false, kind: error.code ?? error.name, timeout: false, bytes });
      });
    },
  });

  const slots: EngineSlot[] = [];
  for (let s = 0; s < o.connections; s++) {
    for (let k = 0; k < o.streams; k++) slots.push(slotOf(s));
  }

  return {
    slots,
    async prime() {
      try {
        for (let s = 0; s < o.connections; s++) {
          const session = connect(url.origin, {
            peerMaxConcurrentStreams: Math.max(100, o.streams),
          });
          session.on('error', () => undefined);
          sessions.push(session);
          await new Promise<void>((resolve, reject) => {
            session.once('connect', () => resolve());
            session.once('error', reject);
          });
        }
        await Promise.all(
          sessions.map(
            (_, i) =>
              new Promise<void>((resolve, reject) => {
                slotOf(i).send((outcome) =>
                  outcome.ok ? resolve() : reject(new Error(outcome.kind)),
                );
              }),
          ),
        );
      } catch (error) {
        throw unreachable(`the HTTP/2 server at ${o.url}`, error);
      }
    },
    async close() {
      await Promise.all(
        sessions.map(
          (s) =>
            new Promise<void>((resolve) => {
              if (s.destroyed) resolve();
              else s.close(() => resolve());
              setTimeout(() => {
                s.destroy();
                resolve();
              }, 1000).unref();
            }),
        ),
      );
    },
  };
}
