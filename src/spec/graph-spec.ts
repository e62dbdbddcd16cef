/**
 * A microservice call graph: the value of the `graph` dimension (pure). A scenario names a
 * built-in shape (`bookinfo`, `{ chain: 4 }`, `{ fanout: 3 }`) or writes a graph out; either
 * way it is resolved here, once, into a `GraphSpec` whose every problem (an unknown callee, a
 * cycle, a name too long for a pod) is reported with its path. Only zod and the spec helpers are
 * imported, so the dimension registry can take this schema without pulling in the agent.
 */
import { z } from 'zod';
import { bytesSchema } from './human-units.js';
import { suggestionHint } from './suggest.js';
import { bookinfoGraph, chainGraph, fanoutGraph } from './graph-shapes.js';

/** How a service spends its declared service time: spinning the CPU, or sleeping on a timer. */
export const serviceTimeKinds = ['busy', 'sleep'] as const;
export type ServiceTimeKind = (typeof serviceTimeKinds)[number];

/** Downstream calls one after another (each waits for the previous), or all at once. */
export const callModes = ['sequential', 'parallel'] as const;
export type CallMode = (typeof callModes)[number];

/** Where the graph's pods go when a service does not say: the `placement` dimension's value. */
export type GraphNodeName = 'node1' | 'node2';

/** One service of the graph, resolved. */
export interface GraphServiceSpec {
  /**
   * Lowercase letters and digits; with `replicas` > 1 the pods are `<name>1`…`<name>N`, so name
   * plus replica digits fit the lab's 9-character pod names. @example "reviews"
   */
  name: string;
  /** Pods behind the service; callers spread requests over them round robin. @default 1 */
  replicas: number;
  /** Time the service spends per request before calling downstream, µs. @default 0 */
  serviceTimeUs: number;
  /** @default "busy" */
  serviceTime: ServiceTimeKind;
  /** Response body size, bytes. @default 1024 */
  payloadBytes: number;
  /** Downstream services, by name, called for every request. @default [] */
  calls: string[];
  /** @default "sequential" */
  callMode: CallMode;
  /** Pin the service's pods to a node (placement per service); absent: the trial's placement. */
  node?: GraphNodeName;
}

/** A resolved call graph. The entry is the service the client calls. */
export interface GraphSpec {
  /** Label in trial ids and reports: `chain-4`, `fanout-3`, `bookinfo`, or the graph's name. */
  name: string;
  entry: string;
  services: GraphServiceSpec[];
}

const nameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]{0,8}$/, 'a service name is lowercase letters and digits, at most 9');

const serviceTimeSchema = z.union([z.string(), z.number()]).transform((input, ctx) => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s)?\s*$/.exec(String(input));
  if (m === null) {
    ctx.addIssue({
      code: 'custom',
      message: `service time ${JSON.stringify(input)} is not a duration`,
      params: { hint: 'write microseconds as a number or "200us", "1.5ms"' },
    });
    return z.NEVER;
  }
  const factor = { us: 1, µs: 1, ms: 1000, s: 1_000_000 }[m[2] ?? 'us'] ?? 1;
  return Math.round(Number(m[1]) * factor);
});

const serviceInputSchema = z.strictObject({
  replicas: z.number().int().min(1).max(9).default(1),
  serviceTime: serviceTimeSchema.default(0),
  serviceTimeKind: z.enum(serviceTimeKinds).default('busy'),
  payload: bytesSchema.pipe(z.number().max(16 * 1024 * 1024)).default(1024),
  calls: z.array(nameSchema).default([]),
  callMode: z.enum(callModes).default('sequential'),
  node: z.enum(['node1', 'node2']).optional(),
});

/** A graph written in the scenario file. */
const customGraphSchema = z.strictObject({
  name: nameSchema,
  /** @default the first service listed */
  entry: nameSchema.optional(),
  services: z.record(nameSchema, serviceInputSchema),
});

const maxChain = 8;
const maxFanout = 8;

/** Every form the `graph` dimension accepts, resolved to a checked GraphSpec. */
export const graphSchema: z.ZodType<GraphSpec, unknown> = z
  .union([
    z.literal('bookinfo'),
    z.strictObject({ chain: z.number().int().min(1).max(maxChain) }),
    z.strictObject({ fanout: z.number().int().min(1).max(maxFanout) }),
    customGraphSchema,
    z.string(),
  ])
  .transform((input, ctx): GraphSpec => {
    if (input === 'bookinfo') return bookinfoGraph();
    if (typeof input === 'string') {
      ctx.addIssue({
        code: 'custom',
        message: `graph ${JSON.stringify(input)} is not a built-in shape`,
        params: {
          hint: `${suggestionHint(input, ['bookinfo'])}; or write { chain: N }, { fanout: K }, or a graph with name and services`,
        },
      });
      return z.NEVER;
    }
    if ('chain' in input) return chainGraph(input.chain);
    if ('fanout' in input) return fanoutGraph(input.fanout);
    const services = Object.entries(input.services).map(([name, s]): GraphServiceSpec => ({
      name,
      replicas: s.replicas,
      serviceTimeUs: s.serviceTime,
      serviceTime: s.serviceTimeKind,
      payloadBytes: s.payload,
      calls: s.calls,
      callMode: s.callMode,
      ...(s.node === undefined ? {} : { node: s.node }),
    }));
    const graph = { name: input.name, entry: input.entry ?? services[0]?.name ?? '', services };
    for (const problem of graphProblems(graph)) {
      ctx.addIssue({
        code: 'custom',
        message: problem.message,
        path: problem.path,
        params: { hint: problem.hint },
      });
    }
    return graph;
  });

/** The dimension's default: no graph (the other workloads ignore it). */
export const noGraph: GraphSpec = { name: 'none', entry: '', services: [] };

interface GraphProblem {
  path: (string | number)[];
  message: string;
  hint: string;
}

/** Everything wrong with a graph, each with its path (pure; empty when it is sound). */
export function graphProblems(g: GraphSpec): GraphProblem[] {
  const names = g.services.map((s) => s.name);
  const out: GraphProblem[] = [];
  if (g.services.length === 0) {
    out.push({ path: ['services'], message: 'a graph needs services', hint: 'list at least one' });
    return out;
  }
  const entry = g.services.find((s) => s.name === g.entry);
  if (entry === undefined) {
    out.push({
      path: ['entry'],
      message: `entry ${JSON.stringify(g.entry)} is not a service of the graph`,
      hint: suggestionHint(g.entry, names),
    });
  } else if (entry.replicas > 1) {
    out.push({
      path: ['services', entry.name, 'replicas'],
      message: `the entry service ${entry.name} has ${entry.replicas} replicas; the client drives one entry pod`,
      hint: 'give the entry one replica, or add a front service that calls the replicated one',
    });
  }
  for (const s of g.services) {
    if (s.replicas > 1 && s.name.length + String(s.replicas).length > 9) {
      out.push({
        path: ['services', s.name],
        message: `service ${s.name} with ${s.replicas} replicas makes pod names longer than 9 characters`,
        hint: `shorten the name to ${9 - String(s.replicas).length} characters`,
      });
    }
    if (s.name === 'client') {
      out.push({
        path: ['services', s.name],
        message: 'service name "client" is taken by the load generator pod',
        hint: 'rename the service',
      });
    }
    s.calls.forEach((callee, i) => {
      if (!names.includes(callee)) {
        out.push({
          path: ['services', s.name, 'calls', i],
          message: `service ${s.name} calls ${JSON.stringify(callee)}, which is not a service of the graph`,
          hint: suggestionHint(callee, names),
        });
      }
    });
  }
  const cycle = findCycle(g);
  if (cycle !== undefined) {
    out.push({
      path: ['services'],
      message: `the graph has a cycle: ${cycle.join(' → ')}`,
      hint: 'a request must end: remove one of these calls',
    });
  }
  return out;
}

function findCycle(g: GraphSpec): string[] | undefined {
  const calls = new Map(g.services.map((s) => [s.name, s.calls]));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (state.get(name) === 'open') return [...path.slice(path.indexOf(name)), name];
    if (state.get(name) === 'done') return undefined;
    state.set(name, 'open');
    for (const c of calls.get(name) ?? []) {
      const found = visit(c, [...path, name]);
      if (found !== undefined) return found;
    }
    state.set(name, 'done');
    return undefined;
  };
  for (const s of g.services) {
    const found = visit(s.name, []);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The pods of a service: its name, or `<name>1`…`<name>N` with replicas. */
export function podsOf(s: GraphServiceSpec): string[] {
  return s.replicas === 1
    ? [s.name]
    : Array.from({ length: s.replicas }, (_, i) => `${s.name}${i + 1}`);
}

/** Services on the longest call path from the entry (a chain of N has depth N). */
export function graphDepth(g: GraphSpec): number {
  const byName = new Map(g.services.map((s) => [s.name, s]));
  const depth = (name: string): number =>
    1 + Math.max(0, ...(byName.get(name)?.calls ?? []).map(depth));
  return g.services.length === 0 ? 0 : depth(g.entry);
}

/** Hops from the client to each service along the shortest path (the entry is 1). */
export function serviceLevels(g: GraphSpec): Map<string, number> {
  const byName = new Map(g.services.map((s) => [s.name, s]));
  const levels = new Map<string, number>([[g.entry, 1]]);
  const queue = [g.entry];
  while (queue.length > 0) {
    const name = queue.shift()!;
    for (const c of byName.get(name)?.calls ?? []) {
      if (!levels.has(c)) {
        levels.set(c, levels.get(name)! + 1);
        queue.push(c);
      }
    }
  }
  return levels;
}
