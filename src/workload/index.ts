import type { WorkloadName } from '../spec/dimensions.js';
import { httpWorkload } from './http/http-workload.js';
import { tcpStreamWorkload, udpStreamWorkload } from './iperf3/iperf3-workload.js';
import { tcpRrWorkload } from './sockperf/tcp-rr-workload.js';
import { tcpCrrWorkload } from './tcp/tcp-crr-workload.js';
import type { Workload } from './workload.js';
import { graphWorkload } from './graph/graph-workload.js';

/** Every workload, one per name of the `workload` dimension (compile-checked). */
export const workloads = {
  http: httpWorkload,
  'tcp-rr': tcpRrWorkload,
  'tcp-crr': tcpCrrWorkload,
  'tcp-stream': tcpStreamWorkload,
  'udp-stream': udpStreamWorkload,
  graph: graphWorkload,
} satisfies Record<WorkloadName, Workload>;
