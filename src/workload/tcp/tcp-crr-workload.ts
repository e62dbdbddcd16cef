/**
 * The tcp-crr workload (netperf's TCP_CRR): every transaction connects, sends `payload` bytes,
 * reads `payload` bytes back and closes. No Debian tool does connect-per-request, so this is
 * netbench's own engine (Node) against its own server; docs/workloads.md says how far the
 * engine's own overhead is from sockperf on the same path (npm run bench measures it).
 */
import type { TcpServerConfig } from '../../agent/agent-protocol.js';
import { createRequestWorkload } from '../request-workload.js';

export const tcpServerPort = 8090;

export const tcpCrrWorkload = createRequestWorkload({
  serverName: 'the TCP server',
  probeName: 'tcp-crr closed loop',
  server(d) {
    const config: TcpServerConfig = {
      port: tcpServerPort,
      mode: 'crr',
      messageBytes: Math.max(1, d.payload),
    };
    return { args: ['tcp-server', '--config', JSON.stringify(config)] };
  },
  serverPort: tcpServerPort,
  servicePort: tcpServerPort,
  transport(d, target) {
    return {
      kind: 'tcp',
      host: target.host,
      port: target.port,
      mode: 'crr',
      connections: d.connections,
      messageBytes: Math.max(1, d.payload),
    };
  },
});
