import { describe, expect, it } from 'vitest';
import type { EndpointProgram } from '../../../src/policy/compile.js';
import { iptablesEnforcer } from '../../../src/platform/lab/features/policy/iptables.js';
import { nftablesEnforcer } from '../../../src/platform/lab/features/policy/nftables.js';

// One pod isolated both ways: egress to a pod on TCP/80, ingress from a /24 on UDP 53-54 and
// from anywhere on SCTP; another pod isolated for ingress with nothing allowed.
const endpoints: EndpointProgram[] = [
  {
    pod: 'p1',
    ip: '10.244.1.10',
    egress: [{ cidr: '10.244.2.10/32', protocol: 'TCP', ports: [80, 80], rule: 'x/out egress[0]' }],
    ingress: [
      { cidr: '192.168.0.0/24', protocol: 'UDP', ports: [53, 54], rule: 'x/in ingress[0]' },
      { cidr: '0.0.0.0/0', protocol: 'SCTP', rule: 'x/in ingress[1]' },
      { cidr: '10.244.1.11/32', rule: 'x/in ingress[2]' },
    ],
  },
  { pod: 'p2', ip: '10.244.1.11', ingress: [] },
];

describe('lab policy enforcers', () => {
  it('render iptables per-endpoint chains behind a conntrack fast path, egress before ingress', () => {
    const r = iptablesEnforcer.render(endpoints, 'ab12c');
    expect(r.text).toMatchInlineSnapshot(`
      "*filter
      :NB-POLICY - [0:0]
      :NB-E-p1 - [0:0]
      :NB-I-p1 - [0:0]
      :NB-I-p2 - [0:0]
      -A FORWARD -m comment --comment "netbench:ab12c policy" -j NB-POLICY
      -A NB-POLICY -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "nb:established" -j ACCEPT
      -A NB-POLICY -s 10.244.1.10/32 -j NB-E-p1
      -A NB-POLICY -d 10.244.1.10/32 -j NB-I-p1
      -A NB-POLICY -d 10.244.1.11/32 -j NB-I-p2
      -A NB-E-p1 -d 10.244.2.10/32 -p tcp -m tcp --dport 80 -m comment --comment "nb:x/out egress[0]" -j RETURN
      -A NB-E-p1 -m comment --comment "nb:default-deny" -j DROP
      -A NB-I-p1 -s 192.168.0.0/24 -p udp -m udp --dport 53:54 -m comment --comment "nb:x/in ingress[0]" -j ACCEPT
      -A NB-I-p1 -p sctp -m comment --comment "nb:x/in ingress[1]" -j ACCEPT
      -A NB-I-p1 -s 10.244.1.11/32 -m comment --comment "nb:x/in ingress[2]" -j ACCEPT
      -A NB-I-p1 -m comment --comment "nb:default-deny" -j DROP
      -A NB-I-p2 -m comment --comment "nb:default-deny" -j DROP
      COMMIT
      "
    `);
    expect(r.rules).toBe(12);
  });

  it('render nftables interval sets and verdict maps, sets before chains before maps', () => {
    const r = nftablesEnforcer.render(endpoints, 'ab12c');
    expect(r.text).toMatchInlineSnapshot(`
      "table ip netbench {
        comment "netbench:ab12c policy"
        set p1_out_ports {
          type ipv4_addr . inet_proto . inet_service
          flags interval
          counter
          elements = { 10.244.2.10/32 . tcp . 80 comment "nb:x/out egress[0]" }
        }
        set p1_in_ports {
          type ipv4_addr . inet_proto . inet_service
          flags interval
          counter
          elements = { 192.168.0.0/24 . udp . 53-54 comment "nb:x/in ingress[0]" }
        }
        set p1_in_proto {
          type ipv4_addr . inet_proto
          flags interval
          counter
          elements = { 0.0.0.0/0 . sctp comment "nb:x/in ingress[1]" }
        }
        set p1_in_any {
          type ipv4_addr
          flags interval
          counter
          elements = { 10.244.1.11/32 comment "nb:x/in ingress[2]" }
        }
        chain egress_p1 {
          ip daddr . meta l4proto . th dport @p1_out_ports return
          counter drop comment "nb:default-deny"
        }
        chain ingress_p1 {
          ip saddr . meta l4proto . th dport @p1_in_ports accept
          ip saddr . meta l4proto @p1_in_proto accept
          ip saddr @p1_in_any accept
          counter drop comment "nb:default-deny"
        }
        chain ingress_p2 {
          counter drop comment "nb:default-deny"
        }
        map egress_dispatch {
          type ipv4_addr : verdict
          elements = { 10.244.1.10 : jump egress_p1 }
        }
        map ingress_dispatch {
          type ipv4_addr : verdict
          elements = { 10.244.1.10 : jump ingress_p1, 10.244.1.11 : jump ingress_p2 }
        }
        chain forward {
          type filter hook forward priority filter; policy accept;
          ct state established,related counter accept comment "nb:established"
          ip saddr vmap @egress_dispatch
          ip daddr vmap @ingress_dispatch
        }
      }
      "
    `);
  });
});
