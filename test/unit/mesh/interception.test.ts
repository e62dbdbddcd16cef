import { describe, expect, it } from 'vitest';
import { interceptionRules } from '../../../src/mesh/interception.js';

describe('interception rules', () => {
  const rules = interceptionRules({ proxyPorts: [15006, 15001, 15008, 15001] });
  const chain = (name: string): string[] => {
    const lines = rules.split('\n').map((l) => l.trim());
    const start = lines.indexOf(`chain ${name} {`);
    return lines.slice(start + 1, lines.indexOf('}', start));
  };

  it('redirects every outbound TCP connection to 15001 except the proxy’s own and loopback', () => {
    expect(chain('output')).toEqual([
      'type nat hook output priority -100; policy accept;',
      'meta l4proto != tcp return',
      'meta skuid 1337 return',
      'meta skgid 1337 return',
      'ip daddr 127.0.0.0/8 return',
      'meta l4proto tcp counter redirect to :15001',
    ]);
  });

  it('redirects inbound TCP to 15006 but leaves the proxy ports (sorted, once each) alone', () => {
    expect(chain('prerouting')).toEqual([
      'type nat hook prerouting priority dstnat; policy accept;',
      'meta l4proto != tcp return',
      'iifname "lo" return',
      'tcp dport { 15001, 15006, 15008 } return',
      'meta l4proto tcp counter redirect to :15006',
    ]);
  });

  it('lives in one table, so the pod namespace takes it away on deletion', () => {
    expect(rules.startsWith('table ip netbench_mesh {\n')).toBe(true);
  });
});
