/**
 * The scenario `netbench run` uses when given no file: the three spine datapaths at a fixed
 * moderate rate, kept as YAML so it goes through exactly the same validation as a user's file.
 */
export const defaultScenarioName = '(built-in default scenario)';

export const defaultScenarioYaml = `# netbench built-in default scenario
name: default
description: >-
  Pod-to-pod HTTP latency over the three basic lab datapaths: a same-node bridge,
  a cross-node VXLAN overlay (Flannel model) and cross-node static routes (Calico model
  without BGP), open loop at 1000 requests/s.
repetitions: 3
warmup: 2s
duration: 10s
matrix:
  datapath: bridge
  placement: same-node
  workload: http
  rate: 1k
  connections: 8
  payload: 1KiB
include:
  - { datapath: vxlan, placement: cross-node }
  - { datapath: routed, placement: cross-node }
`;
