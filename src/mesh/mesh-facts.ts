/**
 * The `mesh` section of a trial's environment facts in results.json: what the mesh really was.
 * Declared once as a schema; the TypeScript type is derived from it, so the lab and the results
 * contract cannot drift apart.
 */
import { z } from 'zod';
import { mtlsModes } from '../spec/dimensions.js';
import { meshProxyRoles } from './mesh-spec.js';

export const meshFactsSchema = z.object({
  mode: z.enum(['sidecar', 'node-proxy', 'node-proxy+waypoint']),
  /** The real-world mesh architecture this lab model stands for. */
  models: z.string(),
  /** What the model leaves out compared with the real product. */
  leavesOut: z.string(),
  mtls: z.enum(mtlsModes),
  /** TLS protocol between proxies; null with mTLS off. */
  tlsVersion: z.literal('TLSv1.3').nullable(),
  /** Worker threads per proxy. */
  concurrency: z.number().int(),
  /** The proxy program's version line, e.g. `HAProxy version 2.6.12-1+deb12u4 …`. */
  proxyVersion: z.string(),
  /** How application traffic reaches the proxies. */
  interception: z.string(),
  /** Proxies a request crosses from client to server: added latency / traversals = per hop. */
  proxyTraversals: z.number().int(),
  /** SPIFFE IDs of the workloads in the mesh. */
  identities: z.array(z.object({ pod: z.string(), spiffeId: z.string() })),
  proxies: z.array(
    z.object({
      role: z.enum(meshProxyRoles),
      /** The pod (sidecar, waypoint) or node (node-proxy) the proxy belongs to. */
      owner: z.string(),
      node: z.string(),
      /** L7 proxies parse HTTP; L4 proxies forward byte streams. */
      layer: z.enum(['L4', 'L7']),
      /** HAProxy stats socket, valid while the lab is up. */
      statsSocket: z.string(),
    }),
  ),
  /** Wall time to create certificates, proxies and rules, ms. */
  setupMs: z.number(),
});

export type MeshFacts = z.infer<typeof meshFactsSchema>;
