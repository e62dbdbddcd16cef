/**
 * The built-in graph shapes (pure). Service times are zero and payloads 1 KiB unless the shape
 * says otherwise, so what a shape measures is the network and the proxies between services.
 */
import type { GraphServiceSpec, GraphSpec } from './graph-spec.js';

const defaults = {
  replicas: 1,
  serviceTimeUs: 0,
  serviceTime: 'busy',
  payloadBytes: 1024,
  calls: [],
  callMode: 'sequential',
} as const satisfies Omit<GraphServiceSpec, 'name'>;

function service(name: string, more: Partial<GraphServiceSpec> = {}): GraphServiceSpec {
  return { ...defaults, calls: [], name, ...more };
}

/** `chain: N`: svc1 → svc2 → … → svcN (depth N). */
export function chainGraph(n: number): GraphSpec {
  const names = Array.from({ length: n }, (_, i) => `svc${i + 1}`);
  return {
    name: `chain-${n}`,
    entry: names[0]!,
    services: names.map((name, i) => service(name, { calls: i + 1 < n ? [names[i + 1]!] : [] })),
  };
}

/** `fanout: K`: front calls leaf1…leafK in parallel and waits for all of them. */
export function fanoutGraph(k: number): GraphSpec {
  const leaves = Array.from({ length: k }, (_, i) => `leaf${i + 1}`);
  return {
    name: `fanout-${k}`,
    entry: 'front',
    services: [
      service('front', { calls: leaves, callMode: 'parallel' }),
      ...leaves.map((l) => service(l)),
    ],
  };
}

/**
 * Istio's BookInfo, shaped: productpage calls details, then reviews (sequentially, as the
 * Python app does); reviews, three versions behind one Service, calls ratings. In the real app
 * reviews v1 does not call ratings; here every version does, so the three replicas are
 * interchangeable and the request's path does not depend on which one answers. Names fit the
 * lab's 9-character pods (`product` for productpage).
 */
export function bookinfoGraph(): GraphSpec {
  return {
    name: 'bookinfo',
    entry: 'product',
    services: [
      service('product', { calls: ['details', 'reviews'], payloadBytes: 4096 }),
      service('details', { payloadBytes: 512 }),
      service('reviews', { replicas: 3, calls: ['ratings'], payloadBytes: 1024 }),
      service('ratings', { payloadBytes: 128 }),
    ],
  };
}
