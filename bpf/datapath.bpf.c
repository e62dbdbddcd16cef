// SPDX-License-Identifier: GPL-2.0
/*
 * netbench's eBPF datapath: the Cilium model in miniature.
 *
 * Two tc (clsact, direct-action) programs forward pod traffic without the Linux bridge and,
 * for traffic between pods on one node, without the node's IP stack:
 *
 *   from_pod     tc ingress of every pod's host-side veth (the packets a pod sends)
 *   from_netdev  tc ingress of the node's underlay device (packets from other nodes)
 *
 * A destination that is a pod of this node (looked up in the `endpoints` map, filled by
 * netbench as cilium-agent fills its endpoint map) is delivered straight into the pod's network
 * namespace with bpf_redirect_peer(). Any other destination is looked up in the kernel FIB and,
 * when it is routed out of another device (the peer node's pod CIDR), sent there with
 * bpf_redirect_neigh(), which lets the kernel's neighbour table fill in the L2 header. Anything
 * else (ARP, traffic for the node itself) continues up the stack unchanged.
 *
 * When netbench programs Services in this datapath's own mode (kube-proxy mode `ebpf`, the model
 * of Cilium's kube-proxy replacement), from_pod also load-balances: a packet for a service
 * address:port picks a backend at random when the connection is new, remembers the choice in an
 * LRU connection table, and is DNATed before forwarding; replies are reverse-NATed to the
 * service address on the client's node, in from_pod (same node) or from_netdev (across nodes).
 *
 * Every decision is counted in `counters`, so netbench can prove that traffic took this path
 * and not the kernel's routing (which would also deliver it, more slowly).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#ifndef AF_INET
#define AF_INET 2
#endif

/* A pod on this node: where to deliver, and the MAC addresses of the veth pair. */
struct endpoint {
	__u32 ifindex;      /* host-side veth, in the node's namespace */
	__u8 pod_mac[6];    /* the pod's eth0 */
	__u8 node_mac[6];   /* the host-side veth (the pod's gateway) */
};

/* Service lookup: slot 0 holds the backend count, slots 1..count hold the backends. */
struct service_key {
	__be32 address;
	__be16 port;
	__u8 protocol;
	__u8 pad;
	__u32 slot;
};

struct service_value {
	__be32 address;     /* backend address (slots >= 1) */
	__be16 port;        /* backend port (slots >= 1) */
	__u16 pad;
	__u32 count;        /* number of backends (slot 0) */
};

/* One direction of a load-balanced connection, keyed from the client's side. */
struct conn_key {
	__be32 client;
	__be32 peer;
	__be16 client_port;
	__be16 peer_port;
	__u8 protocol;
	__u8 reply;         /* 0: client -> service (value: backend); 1: backend -> client (value: service) */
	__u16 pad;
};

struct conn_value {
	__be32 address;
	__be16 port;
	__u16 pad;
};

enum counter {
	COUNT_REDIRECT_PEER,
	COUNT_REDIRECT_NEIGH,
	COUNT_PASS,
	COUNT_SERVICE_NEW,
	COUNT_SERVICE_HIT,
	COUNT_REVERSE_NAT,
	COUNT_DROP,
	COUNT_MAX,
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __be32);
	__type(value, struct endpoint);
	__uint(max_entries, 4096);
} endpoints SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct service_key);
	__type(value, struct service_value);
	__uint(max_entries, 131072);
} services SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct conn_key);
	__type(value, struct conn_value);
	__uint(max_entries, 65536);
} connections SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, COUNT_MAX);
} counters SEC(".maps");

#define IP_OFF ETH_HLEN
#define IP_CSUM_OFF (IP_OFF + offsetof(struct iphdr, check))
#define IP_TTL_OFF (IP_OFF + offsetof(struct iphdr, ttl))
#define IP_SRC_OFF (IP_OFF + offsetof(struct iphdr, saddr))
#define IP_DST_OFF (IP_OFF + offsetof(struct iphdr, daddr))

static __always_inline void count(__u32 which)
{
	__u64 *value = bpf_map_lookup_elem(&counters, &which);
	if (value)
		*value += 1;
}

/* The parts of a packet the programs decide on; offsets are from the start of the frame. */
struct packet {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 protocol;
	__u32 l4_off;       /* 0 when there is no TCP/UDP header to look at */
	__u32 csum_off;     /* L4 checksum offset */
};

static __always_inline int parse(struct __sk_buff *skb, struct packet *p)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + ETH_HLEN;

	if ((void *)(ip + 1) > data_end)
		return -1;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return -1;
	p->saddr = ip->saddr;
	p->daddr = ip->daddr;
	p->protocol = ip->protocol;
	p->l4_off = 0;
	p->sport = 0;
	p->dport = 0;
	/* Only the first fragment carries ports; later ones are forwarded by address alone. */
	if (ip->frag_off & bpf_htons(0x1fff))
		return 0;
	if (ip->protocol == IPPROTO_TCP) {
		struct tcphdr *tcp = (void *)(ip + 1);
		if ((void *)(tcp + 1) > data_end)
			return 0;
		p->sport = tcp->source;
		p->dport = tcp->dest;
		p->l4_off = IP_OFF + sizeof(struct iphdr);
		p->csum_off = p->l4_off + offsetof(struct tcphdr, check);
	} else if (ip->protocol == IPPROTO_UDP) {
		struct udphdr *udp = (void *)(ip + 1);
		if ((void *)(udp + 1) > data_end)
			return 0;
		p->sport = udp->source;
		p->dport = udp->dest;
		p->l4_off = IP_OFF + sizeof(struct iphdr);
		p->csum_off = p->l4_off + offsetof(struct udphdr, check);
	}
	return 0;
}

/* Rewrites one address and port of the packet (source when `source`, else destination). */
static __always_inline int rewrite(struct __sk_buff *skb, struct packet *p, int source,
				   __be32 address, __be16 port)
{
	__u32 addr_off = source ? IP_SRC_OFF : IP_DST_OFF;
	__u32 port_off = p->l4_off + (source ? 0 : 2); /* sport, dport lead both TCP and UDP */
	__be32 old_addr = source ? p->saddr : p->daddr;
	__be16 old_port = source ? p->sport : p->dport;
	/* A UDP checksum of 0 means "none" and must stay 0 (BPF_F_MARK_MANGLED_0). */
	__u64 l4_flags = p->protocol == IPPROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0;

	if (bpf_l4_csum_replace(skb, p->csum_off, old_addr, address,
				BPF_F_PSEUDO_HDR | sizeof(address) | l4_flags) < 0)
		return -1;
	if (bpf_l3_csum_replace(skb, IP_CSUM_OFF, old_addr, address, sizeof(address)) < 0)
		return -1;
	if (bpf_skb_store_bytes(skb, addr_off, &address, sizeof(address), 0) < 0)
		return -1;
	if (bpf_l4_csum_replace(skb, p->csum_off, old_port, port, sizeof(port) | l4_flags) < 0)
		return -1;
	if (bpf_skb_store_bytes(skb, port_off, &port, sizeof(port), 0) < 0)
		return -1;
	if (source) {
		p->saddr = address;
		p->sport = port;
	} else {
		p->daddr = address;
		p->dport = port;
	}
	return 0;
}

/* Client -> service address: pick (or recall) a backend and DNAT to it. */
static __always_inline int load_balance(struct __sk_buff *skb, struct packet *p)
{
	struct service_key key = {
		.address = p->daddr, .port = p->dport, .protocol = p->protocol, .slot = 0,
	};
	struct service_value *service = bpf_map_lookup_elem(&services, &key);
	if (!service || service->count == 0)
		return 0;

	struct conn_key forward = {
		.client = p->saddr, .peer = p->daddr, .client_port = p->sport,
		.peer_port = p->dport, .protocol = p->protocol, .reply = 0,
	};
	struct conn_value backend;
	struct conn_value *known = bpf_map_lookup_elem(&connections, &forward);
	if (known) {
		backend = *known;
		count(COUNT_SERVICE_HIT);
	} else {
		key.slot = 1 + bpf_get_prandom_u32() % service->count;
		struct service_value *chosen = bpf_map_lookup_elem(&services, &key);
		if (!chosen)
			return -1;
		backend.address = chosen->address;
		backend.port = chosen->port;
		backend.pad = 0;
		struct conn_key reverse = {
			.client = p->saddr, .peer = chosen->address, .client_port = p->sport,
			.peer_port = chosen->port, .protocol = p->protocol, .reply = 1,
		};
		struct conn_value service_address = { .address = p->daddr, .port = p->dport };
		bpf_map_update_elem(&connections, &forward, &backend, BPF_ANY);
		bpf_map_update_elem(&connections, &reverse, &service_address, BPF_ANY);
		count(COUNT_SERVICE_NEW);
	}
	return rewrite(skb, p, 0, backend.address, backend.port);
}

/* Backend -> client of a load-balanced connection: restore the service address as source. */
static __always_inline int reverse_nat(struct __sk_buff *skb, struct packet *p)
{
	struct conn_key key = {
		.client = p->daddr, .peer = p->saddr, .client_port = p->dport,
		.peer_port = p->sport, .protocol = p->protocol, .reply = 1,
	};
	struct conn_value *service = bpf_map_lookup_elem(&connections, &key);
	if (!service)
		return 0;
	count(COUNT_REVERSE_NAT);
	return rewrite(skb, p, 1, service->address, service->port);
}

/* Routers decrement the TTL; so does this one (and drops what would expire). */
static __always_inline int decrement_ttl(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + ETH_HLEN;
	if ((void *)(ip + 1) > data_end)
		return -1;
	if (ip->ttl <= 1)
		return -1;
	__u16 *word = (__u16 *)&ip->ttl; /* ttl and protocol share one checksummed 16-bit word */
	__u16 old = *word;
	ip->ttl -= 1;
	bpf_l3_csum_replace(skb, IP_CSUM_OFF, old, *word, sizeof(__u16));
	return 0;
}

/* Delivers to a pod of this node, straight into its namespace; TC_ACT_OK when not ours. */
static __always_inline int to_local_pod(struct __sk_buff *skb, __be32 daddr)
{
	struct endpoint *ep = bpf_map_lookup_elem(&endpoints, &daddr);
	if (!ep)
		return -1;
	if (decrement_ttl(skb) < 0) {
		count(COUNT_DROP);
		return TC_ACT_SHOT;
	}
	if (bpf_skb_store_bytes(skb, 0, ep->pod_mac, ETH_ALEN, 0) < 0 ||
	    bpf_skb_store_bytes(skb, ETH_ALEN, ep->node_mac, ETH_ALEN, 0) < 0) {
		count(COUNT_DROP);
		return TC_ACT_SHOT;
	}
	count(COUNT_REDIRECT_PEER);
	return bpf_redirect_peer(ep->ifindex, 0);
}

/* Sends to another node through the device the FIB names, L2 filled by the neighbour table. */
static __always_inline int to_other_node(struct __sk_buff *skb, struct packet *p)
{
	struct bpf_fib_lookup fib = {
		.family = AF_INET,
		.ifindex = skb->ingress_ifindex,
		.ipv4_src = p->saddr,
		.ipv4_dst = p->daddr,
	};
	if (bpf_fib_lookup(skb, &fib, sizeof(fib), BPF_FIB_LOOKUP_SKIP_NEIGH) !=
	    BPF_FIB_LKUP_RET_SUCCESS)
		return -1;
	if (fib.ifindex == skb->ingress_ifindex)
		return -1;
	if (decrement_ttl(skb) < 0) {
		count(COUNT_DROP);
		return TC_ACT_SHOT;
	}
	struct bpf_redir_neigh nh = { .nh_family = AF_INET, .ipv4_nh = fib.ipv4_dst };
	count(COUNT_REDIRECT_NEIGH);
	return bpf_redirect_neigh(fib.ifindex, &nh, sizeof(nh), 0);
}

SEC("tc")
int from_pod(struct __sk_buff *skb)
{
	struct packet p;
	int verdict;

	if (parse(skb, &p) < 0) {
		count(COUNT_PASS);
		return TC_ACT_OK;
	}
	if (p.l4_off != 0) {
		if (load_balance(skb, &p) < 0 || reverse_nat(skb, &p) < 0) {
			count(COUNT_DROP);
			return TC_ACT_SHOT;
		}
	}
	verdict = to_local_pod(skb, p.daddr);
	if (verdict >= 0)
		return verdict;
	verdict = to_other_node(skb, &p);
	if (verdict >= 0)
		return verdict;
	count(COUNT_PASS);
	return TC_ACT_OK;
}

SEC("tc")
int from_netdev(struct __sk_buff *skb)
{
	struct packet p;
	int verdict;

	if (parse(skb, &p) < 0) {
		count(COUNT_PASS);
		return TC_ACT_OK;
	}
	if (p.l4_off != 0 && reverse_nat(skb, &p) < 0) {
		count(COUNT_DROP);
		return TC_ACT_SHOT;
	}
	verdict = to_local_pod(skb, p.daddr);
	if (verdict >= 0)
		return verdict;
	count(COUNT_PASS);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
