/**
 * HTTP/1.1 slots for the request engine. Each connection is its own undici Client with
 * pipelining 1 (not a Pool), so the engine, not the library, decides which request goes out
 * when, and knows the exact send time. `close: true` asks for `Connection: close` on every
 * request, so every request pays a fresh TCP connection (connection-per-request).
 */
import { Client, type Dispatcher } from 'undici';
import type { EngineSlot, SlotOutcome } from '../engine/open-loop.js';
import type { Transport } from '../engine/transport.js';
import { unreachable } from '../engine/transport.js';

export interface Http1TransportOptions {
  url: string;
  connections: number;
  /** A new connection for every request. @default false */
  close: boolean;
  timeoutS: number;
}

export function openHttp1Transport(o: Http1TransportOptions): Transport {
  const url = new URL(o.url);
  const path = `${url.pathname}${url.search}`;
  const timeoutMs = Math.round(o.timeoutS * 1000);
  const clients = Array.from(
    { length: o.connections },
    () =>
      new Client(url.origin, {
        pipelining: 1,
        keepAliveTimeout: 120_000,
        keepAliveMaxTimeout: 600_000,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connectTimeout: timeoutMs,
      }),
  );
  const dispatchOptions: Dispatcher.DispatchOptions = {
    path,
    method: 'GET',
    ...(o.close ? { reset: true } : {}),
  };

  const slotOf = (client: Client): EngineSlot => ({
    send(done) {
      let status = 0;
      let bytes = 0;
      // Client.dispatch in undici 7 takes the callback-style handler (onConnect/onHeaders/…); the
      // newer controller-style one is only accepted through interceptors. It is the cheapest way
      // to see the exact moment the response ends without building a stream per request.
      const handler: Dispatcher.DispatchHandler = {
        onConnect: () => undefined,
        onHeaders: (statusCode) => {
          status = statusCode;
          return true;
        },
        onData: (chunk) => {
          bytes += chunk.length;
          return true;
        },
        onComplete: () => {
          const outcome: SlotOutcome =
            status >= 400
              ? { ok: false, kind: `http_${status}`, timeout: false, bytes }
              : { ok: true, bytes };
          done(outcome);
        },
        onError: (error: Error & { code?: string }) => {
          const code = error.code ?? error.name;
          done({
            ok: false,
            kind: code,
            timeout: code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT',
            bytes,
          });
        },
      };
      client.dispatch(dispatchOptions, handler);
    },
  });

  return {
    slots: clients.map(slotOf),
    /** One request per connection before the clock starts: opens the keep-alive connections. */
    async prime() {
      try {
        await Promise.all(
          clients.map(async (c) => {
            const res = await c.request({
              path,
              method: 'GET',
              ...(o.close ? { reset: true } : {}),
            });
            await res.body.arrayBuffer();
            if (res.statusCode >= 400) throw new Error(`HTTP ${res.statusCode}`);
          }),
        );
      } catch (error) {
        throw unreachable(`the HTTP server at ${o.url}`, error);
      }
    },
    async close() {
      await Promise.all(clients.map((c) => c.destroy().catch(() => undefined)));
    },
  };
}
