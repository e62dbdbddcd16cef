/**
 * Every object the lab creates carries the run id: namespaces are `nb-<runId>-<name>`, the state
 * directory is /run/netbench/<runId>, link aliases are `netbench:<runId>`. `lab down` finds
 * leftovers of crashed runs by these names alone.
 */
import { runIdLength, type RunId } from '../../core/run-id.js';

export const namespacePrefix = 'nb-';
export const stateRoot = '/run/netbench';

export function namespaceName(runId: RunId, name: string): string {
  return `${namespacePrefix}${runId}-${name}`;
}

/** The run id a namespace name belongs to, if it is a netbench name. */
export function runIdOfNamespace(namespace: string): RunId | undefined {
  const m = new RegExp(`^${namespacePrefix}([a-z][a-z0-9]{${runIdLength - 1}})-`).exec(namespace);
  return m?.[1];
}

export function linkAlias(runId: RunId): string {
  return `netbench:${runId}`;
}

/** Pod and node names end up inside interface names (`veth-<pod>`, at most 15 bytes). */
export const maxShortNameLength = 9;
export function isValidShortName(name: string): boolean {
  return new RegExp(`^[a-z][a-z0-9]{0,${maxShortNameLength - 1}}$`).test(name);
}
