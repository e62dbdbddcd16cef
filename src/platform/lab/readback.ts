/**
 * What the datapath really is, read back from the kernels after setup (not assumed from what
 * netbench meant to configure): routes with their origin, and the MTU on the client's path.
 */
import type { RouteFact } from '../../results/facts.js';
import type { LabLayout } from './addressing.js';
import type { LabShell } from './lab-shell.js';

interface IpRouteJson {
  dst: string;
  gateway?: string;
  dev: string;
  protocol?: string;
}

/** The kernel's route protocol as an origin: who put the route there. */
export function routeOrigin(protocol: string | undefined): string {
  switch (protocol) {
    case undefined:
      return 'boot';
    case 'bird':
    case 'bgp':
      return 'bgp';
    default:
      return protocol;
  }
}

export async function readRoutes(shell: LabShell, layout: LabLayout): Promise<RouteFact[]> {
  const routes: RouteFact[] = [];
  for (const node of layout.nodes) {
    const out = await shell.ip(node.ns, ['-j', 'route', 'show']);
    for (const r of JSON.parse(out.stdout || '[]') as IpRouteJson[]) {
      routes.push({
        node: node.name,
        destination: r.dst,
        ...(r.gateway === undefined ? {} : { via: r.gateway }),
        device: r.dev,
        origin: routeOrigin(r.protocol),
        ...(r.protocol === undefined ? {} : { protocol: r.protocol }),
      });
    }
  }
  return routes;
}

/**
 * MTU of the device the client uses towards the server (`ip route get`), so host-network pods
 * on one node honestly report the loopback's. Falls back to the first two pods' names.
 */
export async function readPathMtu(shell: LabShell, layout: LabLayout): Promise<number> {
  const from = layout.pods.find((p) => p.name === 'client') ?? layout.pods[0];
  const to =
    layout.pods.find((p) => p.name === 'server' && p !== from) ??
    layout.pods.find((p) => p !== from);
  if (from === undefined) return 0;
  let device = 'eth0';
  if (to !== undefined) {
    const route = await shell.ip(from.ns, ['-j', 'route', 'get', to.ip]);
    device = (JSON.parse(route.stdout || '[]') as { dev?: string }[])[0]?.dev ?? device;
  }
  const link = await shell.ip(from.ns, ['-j', 'link', 'show', 'dev', device]);
  return (JSON.parse(link.stdout || '[]') as { mtu?: number }[])[0]?.mtu ?? 0;
}
