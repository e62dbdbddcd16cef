/**
 * The scenario `netbench run` uses when given no file, kept as YAML so it goes through exactly the
 * same validation as a user's file. It is built to answer its own question on a noisy 2-vCPU VM
 * in about four minutes (docs/statistics.md, "The built-in default"): TCP request/response by
 * sockperf in closed loop with both ends on one CPU (a cross-CPU ping-pong pays 45-60 µs of vCPU
 * wake-up per message, which buries the few µs the datapaths differ by, and a paced one spins
 * on the CPU the server needs), short repetitions in many interleaved rounds compared round by
 * round, rounds added until the comparisons are within ±5 % or the budget is spent; HTTP beside
 * it for the view users care about.
 */
export const defaultScenarioName = '(built-in default scenario)';

export const defaultScenarioYaml = `# netbench built-in default scenario
name: default
description: >-
  Which basic lab datapath adds the least latency, and by how much: a same-node bridge,
  a cross-node VXLAN overlay (Flannel model) and cross-node static routes (Calico model
  without BGP). TCP request/response (sockperf, 64 B, one message in flight, both ends
  pinned to one CPU, taking turns on it) for the datapath itself, and HTTP over the
  bridge at 500 requests/s for what an application sees (client and server on separate
  CPUs); each beside the instrument's own floor (client and server in one pod, over
  loopback).
repetitions: auto
precision: 5%
budget: 4m
warmup: 1s
duration: 2s
matrix:
  workload: tcp-rr
  datapath: bridge
  placement: same-node
  pinning: same-cpu
  rate: max
  payload: 64
include:
  - { datapath: vxlan, placement: cross-node }
  - { datapath: routed, placement: cross-node }
  - { workload: http, pinning: cross-cpu, rate: 500, connections: 2 }
baseline: { datapath: bridge }
`;
