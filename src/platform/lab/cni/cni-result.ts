/**
 * What CNI plugins print, parsed (pure): a result on success (ADD), an error object on failure.
 * Both are JSON on stdout (CNI spec, "Result" and "Error" sections).
 */
import { z } from 'zod';

const resultSchema = z.looseObject({
  cniVersion: z.string(),
  interfaces: z
    .array(
      z.looseObject({
        name: z.string(),
        mac: z.string().optional(),
        sandbox: z.string().optional(),
      }),
    )
    .optional(),
  ips: z
    .array(
      z.looseObject({
        address: z.string(),
        gateway: z.string().optional(),
        interface: z.number().optional(),
      }),
    )
    .optional(),
});

/** A plugin's success result (kept whole: it becomes the next plugin's prevResult). */
export type CniResult = z.infer<typeof resultSchema>;

const errorSchema = z.looseObject({
  code: z.number(),
  msg: z.string(),
  details: z.string().optional(),
});

export type CniErrorObject = z.infer<typeof errorSchema>;

export function parseCniResult(stdout: string): CniResult | undefined {
  try {
    const parsed = resultSchema.safeParse(JSON.parse(stdout));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The plugin's error object, when its output is one. */
export function parseCniError(stdout: string): CniErrorObject | undefined {
  try {
    const parsed = errorSchema.safeParse(JSON.parse(stdout));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pod's address and the host-side interface from a final result. `bridge` and `ptp` list the
 * host side of the veth pair right before the pod's (sandbox) interface; chained plugins may
 * append their own host devices after it (bandwidth adds its ifb), so position matters.
 */
export function podWiringOf(
  result: CniResult,
): { ip: string; prefixLength: number; hostInterface: string } | undefined {
  const interfaces = result.interfaces ?? [];
  const ipEntry = (result.ips ?? []).find((ip) => {
    const iface = ip.interface === undefined ? undefined : interfaces[ip.interface];
    return iface === undefined || iface.sandbox !== undefined;
  });
  const podIndex = ipEntry?.interface ?? interfaces.findIndex((i) => i.sandbox !== undefined);
  const host = podIndex > 0 ? interfaces[podIndex - 1] : undefined;
  if (ipEntry === undefined || host === undefined || host.sandbox !== undefined) return undefined;
  const [ip, prefix] = ipEntry.address.split('/');
  if (ip === undefined || prefix === undefined) return undefined;
  return { ip, prefixLength: Number(prefix), hostInterface: host.name };
}
