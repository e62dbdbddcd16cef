/**
 * The http workload: netbench's echo server in the `server` pod, the open-loop engine in the
 * `client` pod, over HTTP/1.1 keep-alive, HTTP/1.1 connection-per-request, or HTTP/2 (h2c).
 */
import type { HttpServerConfig } from '../../agent/agent-protocol.js';
import { createRequestWorkload } from '../request-workload.js';

export const httpServerPort = 8080;

export const httpWorkload = createRequestWorkload({
  serverName: 'the HTTP server',
  probeName: 'http closed loop',
  server(d) {
    const config: HttpServerConfig = {
      port: httpServerPort,
      payloadBytes: d.payload,
      protocol: d.protocol === 'h2c' ? 'h2c' : 'http1',
    };
    return { args: ['http-server', '--config', JSON.stringify(config)] };
  },
  serverPort: httpServerPort,
  servicePort: 80,
  transport(d, target) {
    const url = `http://${target.host}:${target.port}/`;
    return d.protocol === 'h2c'
      ? { kind: 'h2c', url, connections: d.connections, streams: d.streams }
      : { kind: 'http1', url, connections: d.connections, close: d.protocol === 'http1-close' };
  },
});
