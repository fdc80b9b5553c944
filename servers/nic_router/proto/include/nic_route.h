/*
 * nic_router's routing engine (portable, host-tested in tests/host/nic_route.c):
 * domains, each an IPv4 subnet with the router's address in it; ports
 * (the sessions: Nic clients and the Uplink) each in one domain. A frame
 * that enters through a port is parsed (nic_proto.h) and:
 *
 *   - switched within its domain when its destination MAC is another
 *     host's there (broadcasts go to every other port of the domain too)
 *   - ARP: the sender learned into the domain's cache (with its port),
 *     requests for the router's address answered
 *   - IPv4 to the router's address: ICMP echo answered; on the uplink,
 *     replies to NAT mappings translated back, TCP port forwards applied
 *   - IPv4 to another domain's subnet: routed (TTL decremented, MACs
 *     rewritten from the target domain's ARP cache; a miss sends an ARP
 *     request and drops the packet, the sender retransmits)
 *   - IPv4 elsewhere from a client domain with nat set: source address and
 *     port (ICMP echo: id) rewritten to the uplink's address and a port of
 *     its own, sent to the uplink's gateway (or the host on its subnet)
 *   - DHCP: UDP to port 67 in a client domain with a server (rt_dhcp_server)
 *     answered from its leases; UDP from port 67 to 68 on the uplink taken
 *     by its client (rt_dhcp_client), whose timers rt_tick runs
 *
 * Everything else is dropped and counted per domain. Frames leave through
 * the send callback.
 */
#ifndef NIC_ROUTE_H
#define NIC_ROUTE_H

#include <nic_proto.h>

#define RT_DOMAINS 8
#define RT_PORTS 32
#define RT_ARP 64
#define RT_NAT 512
#define RT_FORWARDS 16
#define RT_NAME 32
#define RT_NAT_FIRST 49152u             /* NAT ports: 49152..65535 */

struct rt_counters {
	uint64_t rx, tx;                 /* frames in from / out to the domain */
	uint64_t bad;                    /* refused by a parser */
	uint64_t dropped;                /* not for anyone, no route, TTL, no mapping */
	uint64_t arp_miss;               /* routed packet dropped: next hop unknown */
	uint64_t echo;                   /* ICMP echo requests answered */
	uint64_t routed, nat_out, nat_in, forwarded;
	uint64_t no_address;             /* needed the uplink's address, which it has not (yet) */
	uint64_t dhcp_in, dhcp_out;      /* DHCP messages taken, sent */
};

/* ---- DHCP (proto/dhcp.c) ---- */

#define RT_LEASES 64
#define RT_OFFER_HOLD_MS 30000u          /* an offered address is kept this long */

struct rt_lease {
	bool used, bound, declined;      /* neither bound nor declined: offered */
	uint8_t mac[6];
	uint32_t ip;
	uint64_t expires;                /* the router's clock (ms) */
};

/* The server of a client domain: addresses first..last. */
struct rt_dhcp_server {
	bool on;
	uint32_t first, last;
	uint32_t lease_sec;
	uint32_t dns;                    /* 0: none (or the uplink's, dns_uplink) */
	bool dns_uplink;
	struct rt_lease lease[RT_LEASES];
};

enum rt_dhcpc_state {
	DHCPC_OFF, DHCPC_INIT, DHCPC_SELECTING, DHCPC_REQUESTING, DHCPC_BOUND, DHCPC_RENEWING,
	DHCPC_REBINDING, DHCPC_REBOOTING,
};

/* The client of the uplink domain (RFC 2131 section 4.4). */
struct rt_dhcp_client {
	int state;                       /* enum rt_dhcpc_state */
	uint32_t xid;
	uint32_t offered, server;        /* SELECTING/REQUESTING: the offer; the lease's server */
	uint32_t dns;                    /* the lease's DNS server (0: none) */
	uint32_t lease_sec;
	uint64_t t1, t2, expires;        /* the router's clock (ms) */
	uint64_t next;                   /* next (re)transmission or timeout */
	unsigned tries;                  /* of this state, for the back-off */
	uint64_t leases;                 /* leases got (a counter) */
};

const char *rt_dhcpc_state_name(int state);

struct rt_arp {
	uint32_t ip;
	uint8_t mac[6];
	uint8_t port;
	bool used;
};

struct rt_domain {
	char name[RT_NAME];
	bool used, uplink;
	bool nat;                        /* translate to the uplink what leaves the domain outward */
	uint32_t ip, mask;               /* the router's address (0: none yet) */
	uint32_t gateway;                /* uplink: next hop for other subnets */
	uint8_t mac[6];                  /* the router's in this domain (default: r->mac) */
	struct rt_counters cnt;
	struct rt_arp arp[RT_ARP];
	unsigned arp_next;
	struct rt_dhcp_server srv;       /* client domains */
	struct rt_dhcp_client cli;       /* the uplink domain with dhcp="yes" */
};

struct rt_port {
	bool used;
	unsigned domain;
	uint8_t mac[6];                  /* the host behind it, once seen */
	bool mac_known;
};

struct rt_nat {
	bool used;
	uint8_t proto;
	uint32_t in_ip;                  /* the inside host */
	uint16_t in_port, out_port;
	unsigned domain;                 /* the inside host's */
	uint64_t last;                   /* the router's clock when last used */
};

struct rt_forward {
	bool used;
	uint16_t port;                   /* TCP port on the uplink's address */
	unsigned domain;
	uint32_t to;                     /* the host in the domain */
};

typedef void (*rt_send_fn)(void *arg, unsigned port, const uint8_t *frame, size_t len);

struct router {
	uint8_t mac[6];                  /* the router's on every port */
	struct rt_domain dom[RT_DOMAINS];
	struct rt_port port[RT_PORTS];
	struct rt_nat nat[RT_NAT];
	struct rt_forward fwd[RT_FORWARDS];
	unsigned nat_hint;
	uint64_t clock;                  /* milliseconds, advanced by the caller (rt_tick) */
	uint32_t rand;                   /* xorshift state for DHCP transaction ids */
	uint64_t dhcp_changes;           /* counts changes of leases and of the client's state */
	rt_send_fn send;
	void *arg;
	uint8_t out[ETH_FRAME_MAX];
};

void rt_init(struct router *r, const uint8_t mac[6], rt_send_fn send, void *arg);
/* A domain named name (new or existing): its index, -1 if full or a bad
 * name. ip/mask 0 until known (an uplink's DHCP lease). */
int rt_domain(struct router *r, const char *name, bool uplink, bool nat, uint32_t ip,
	      uint32_t mask, uint32_t gateway);
/* The router's MAC in domain d (the uplink: the NIC's own). */
void rt_domain_mac(struct router *r, unsigned d, const uint8_t mac[6]);
int rt_domain_find(const struct router *r, const char *name);
/* Remove a domain (its ports, ARP, NAT mappings and forwards go). */
void rt_domain_remove(struct router *r, unsigned d);
/* A port in domain d: its index, -1 if full. */
int rt_port_add(struct router *r, unsigned d);
void rt_port_remove(struct router *r, unsigned p);
int rt_forward_add(struct router *r, uint16_t port, unsigned d, uint32_t to);
void rt_forwards_clear(struct router *r);
/* The clock (milliseconds) moves to now: DHCP's timers run (the client's
 * retransmissions, renewal, rebinding and lease expiry; the server's
 * leases expire). */
void rt_tick(struct router *r, uint64_t now);
/* When rt_tick has something to do next (the router's clock, ms);
 * UINT64_MAX: nothing. */
uint64_t rt_next_event(const struct router *r);

/* DHCP server of client domain d (addresses first..last inside its subnet,
 * lease_sec 60..; dns an address, 0 none; dns_uplink: the DNS server of
 * the uplink's lease). 0, or -1 if refused (d not a client domain with an
 * address, the range outside the subnet or upside down). Leases outside a
 * new range go. */
int rt_dhcp_server(struct router *r, unsigned d, uint32_t first, uint32_t last,
		   uint32_t lease_sec, uint32_t dns, bool dns_uplink);
void rt_dhcp_server_off(struct router *r, unsigned d);
/* The uplink domain d's address by DHCP (on), or static again (off: the
 * caller sets the address with rt_domain). */
void rt_dhcp_client(struct router *r, unsigned d, bool on);
/* The link came up again or a new Uplink session joined: a bound client
 * asks for its address again (INIT-REBOOT) and keeps it meanwhile; one
 * without a lease starts over at once. */
void rt_dhcp_client_restart(struct router *r, unsigned d);
/* Drop the uplink's address (lease gone): NAT mappings of it go too. */
void rt_uplink_address_lost(struct router *r, unsigned d);

/* A frame from port p. */
void rt_input(struct router *r, unsigned p, const uint8_t *frame, size_t len);
/* The same with flags: RT_IN_CSUM_VALID, its TCP or UDP checksum was
 * verified by the NIC (the router does not compare it again; lengths,
 * headers and the IPv4 header checksum are still checked). */
#define RT_IN_CSUM_VALID 1u
void rt_input_flags(struct router *r, unsigned p, const uint8_t *frame, size_t len,
		    unsigned flags);

#endif
