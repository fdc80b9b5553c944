// sources: servers/nic_router/proto/proto.c servers/nic_router/proto/route.c
// cflags: -Iservers/nic_router/proto/include
/*
 * Host unit tests of nic_router's DHCP (servers/nic_router/proto/route.c,
 * "DHCP"): the server of client domain "a" (10.0.1.1/24, pool
 * 10.0.1.100..10.0.1.102) and the client of the uplink domain. Messages
 * built here go in through rt_input, what the router sends is parsed
 * again with the parsers of nic_proto.h (every checksum) and checked; time
 * moves only by rt_tick.
 *
 * Area: NICDHCP.
 */
#include <harness.h>
#include <nic_route.h>
#include <string.h>

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static const uint8_t RMAC[6] = { 0x02, 0x52, 0x54, 0, 0, 1 };
static const uint8_t NICMAC[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
static const uint8_t M1[6] = { 0x02, 0, 0, 0, 0, 0x11 }, M2[6] = { 0x02, 0, 0, 0, 0, 0x22 },
		     M3[6] = { 0x02, 0, 0, 0, 0, 0x33 }, SMAC[6] = { 0x52, 0x55, 10, 0, 2, 2 };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint32_t RA = IP(10, 0, 1, 1), FIRST = IP(10, 0, 1, 100), LAST = IP(10, 0, 1, 102),
		      SRV = IP(10, 0, 2, 2), MINE = IP(10, 0, 2, 15), DNS = IP(10, 0, 2, 3);

struct sent {
	unsigned port;
	size_t len;
	uint8_t f[ETH_FRAME_MAX];
};
static struct sent sent[16];
static unsigned nsent;

static void send_cb(void *arg, unsigned port, const uint8_t *frame, size_t len)
{
	(void)arg;
	/* only what the router itself sends (not broadcasts it switched) */
	if (memcmp(frame + 6, RMAC, 6) && memcmp(frame + 6, NICMAC, 6))
		return;
	if (nsent < 16) {
		sent[nsent].port = port;
		sent[nsent].len = len;
		memcpy(sent[nsent].f, frame, len);
	}
	nsent++;
}

static struct router R;
static int PU, P1, P2, P3, DU, DA;

static void setup(bool client)
{
	rt_init(&R, RMAC, send_cb, 0);
	DU = rt_domain(&R, "uplink", true, false, client ? 0 : MINE, client ? 0 : 0xffffff00u,
		       client ? 0 : SRV);
	DA = rt_domain(&R, "a", false, true, RA, 0xffffff00u, 0);
	rt_domain_mac(&R, (unsigned)DU, NICMAC);
	PU = rt_port_add(&R, (unsigned)DU);
	P1 = rt_port_add(&R, (unsigned)DA);
	P2 = rt_port_add(&R, (unsigned)DA);
	P3 = rt_port_add(&R, (unsigned)DA);
	rt_tick(&R, 1000);
	nsent = 0;
}

/* A DHCP message in a frame: eth_dst, addresses, ports, BOOTP op, xid,
 * ciaddr, yiaddr, chaddr, then options (already encoded, END added). */
static size_t dhcp_frame(uint8_t *f, const uint8_t *eth_dst, const uint8_t *smac, uint32_t src,
			 uint32_t dst, uint16_t sport, uint16_t dport, uint8_t op, uint32_t xid,
			 uint32_t ciaddr, uint32_t yiaddr, const uint8_t *chaddr,
			 const uint8_t *opts, size_t nopt)
{
	uint8_t *ip = f + 14, *u = ip + 20, *b = u + 8;
	size_t blen = DHCP_FIXED + 4 + nopt + 1, ulen = 8 + blen;

	memset(f, 0, 14 + 20 + ulen);
	memcpy(f, eth_dst, 6);
	memcpy(f + 6, smac, 6);
	put16(f + 12, ETH_TYPE_IPV4);
	b[0] = op;
	b[1] = 1;
	b[2] = 6;
	put32(b + 4, xid);
	put32(b + 12, ciaddr);
	put32(b + 16, yiaddr);
	memcpy(b + 28, chaddr, 6);
	put32(b + DHCP_FIXED, DHCP_MAGIC);
	memcpy(b + DHCP_FIXED + 4, opts, nopt);
	b[DHCP_FIXED + 4 + nopt] = DHCPO_END;
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)ulen);
	put16(u + 6, csum_fold(csum_add(csum_pseudo(src, dst, IP_PROTO_UDP, (uint16_t)ulen), u, ulen)));
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + ulen));
	ip[8] = 64;
	ip[9] = IP_PROTO_UDP;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	return 14 + 20 + ulen;
}

/* Options: type, then pairs of (code, 4-byte value) with code 0 ending. */
static size_t opts(uint8_t *o, uint8_t type, uint8_t c1, uint32_t v1, uint8_t c2, uint32_t v2)
{
	size_t n = 0;
	o[n++] = DHCPO_MSG_TYPE;
	o[n++] = 1;
	o[n++] = type;
	if (c1) {
		o[n++] = c1;
		o[n++] = 4;
		put32(o + n, v1);
		n += 4;
	}
	if (c2) {
		o[n++] = c2;
		o[n++] = 4;
		put32(o + n, v2);
		n += 4;
	}
	return n;
}

/* A client of domain a (port p, MAC m) sends type. */
static void client_msg(int p, const uint8_t *m, uint8_t type, uint32_t ciaddr, uint8_t c1,
		       uint32_t v1, uint8_t c2, uint32_t v2)
{
	uint8_t f[ETH_FRAME_MAX], o[32];
	size_t n = opts(o, type, c1, v1, c2, v2);
	size_t len = dhcp_frame(f, ciaddr ? RMAC : BCAST, m, ciaddr, ciaddr ? RA : 0xffffffffu,
				DHCP_CLIENT_PORT, DHCP_SERVER_PORT, DHCP_BOOTREQUEST, 0x1234 + m[5],
				ciaddr, 0, m, o, n);
	rt_input(&R, (unsigned)p, f, len);
}

/* The last sent frame parsed down to DHCP (every layer must check). */
static int parse_dhcp(const struct sent *s, struct ipv4_view *ip, struct dhcp_view *d)
{
	struct eth_view e;
	struct udp_view u;
	int err = eth_parse(s->f, s->len, &e);
	if (!err)
		err = e.type == ETH_TYPE_IPV4 ? ipv4_parse(e.payload, e.len, ip) : -1;
	if (!err)
		err = ip->proto == IP_PROTO_UDP ? udp_parse(ip->payload, ip->payload_len, ip->src,
							    ip->dst, &u)
						: -1;
	if (!err && !u.has_checksum)
		err = -2;
	if (!err)
		err = dhcp_parse(u.payload, u.payload_len, d);
	return err;
}

/* The one reply the server sent to port p: its type, yiaddr in *yi. */
static int reply(int p, uint32_t *yi, struct dhcp_view *d)
{
	struct ipv4_view ip;
	if (nsent != 1 || sent[0].port != (unsigned)p || parse_dhcp(&sent[0], &ip, d))
		return -1;
	if (d->op != DHCP_BOOTREPLY || ip.src != RA)
		return -1;
	*yi = d->yiaddr;
	nsent = 0;
	return d->msg_type;
}

static void server_on(void)
{
	setup(false);
	CHECK_EQ(rt_dhcp_server(&R, (unsigned)DA, FIRST, LAST, 60, DNS, false), 0);
}

TEST(NICDHCP_0001, "server: DISCOVER, OFFER, REQUEST, ACK with the domain's options; the same MAC gets the same address, another the next")
{
	struct dhcp_view d;
	uint32_t yi = 0;

	server_on();
	client_msg(P1, M1, DHCPDISCOVER, 0, 0, 0, 0, 0);
	CHECK_EQ(reply(P1, &yi, &d), DHCPOFFER);
	CHECK_EQ(yi, FIRST);
	CHECK_EQ(d.xid, 0x1234u + 0x11);
	CHECK(!memcmp(d.chaddr, M1, 6));
	CHECK_EQ(d.has & (DHCP_HAS_SERVER_ID | DHCP_HAS_LEASE | DHCP_HAS_SUBNET | DHCP_HAS_ROUTER |
			  DHCP_HAS_DNS),
		 DHCP_HAS_SERVER_ID | DHCP_HAS_LEASE | DHCP_HAS_SUBNET | DHCP_HAS_ROUTER | DHCP_HAS_DNS);
	CHECK_EQ(d.server_id, RA);
	CHECK_EQ(d.lease, 60u);
	CHECK_EQ(d.subnet, 0xffffff00u);
	CHECK_EQ(d.router, RA);
	CHECK_EQ(d.dns, DNS);
	CHECK(!memcmp(sent[0].f, M1, 6) || !memcmp(sent[0].f, BCAST, 6));
	client_msg(P1, M1, DHCPREQUEST, 0, DHCPO_REQUESTED_IP, FIRST, DHCPO_SERVER_ID, RA);
	CHECK_EQ(reply(P1, &yi, &d), DHCPACK);
	CHECK_EQ(yi, FIRST);
	CHECK(R.dom[DA].srv.lease[0].used && R.dom[DA].srv.lease[0].bound);
	/* the same MAC again: the same address */
	client_msg(P1, M1, DHCPDISCOVER, 0, 0, 0, 0, 0);
	CHECK_EQ(reply(P1, &yi, &d), DHCPOFFER);
	CHECK_EQ(yi, FIRST);
	/* another: the next */
	client_msg(P2, M2, DHCPDISCOVER, 0, 0, 0, 0, 0);
	CHECK_EQ(reply(P2, &yi, &d), DHCPOFFER);
	CHECK_EQ(yi, FIRST + 1);
	/* an address asked for by a DISCOVER is given when free */
	client_msg(P3, M3, DHCPDISCOVER, 0, DHCPO_REQUESTED_IP, LAST, 0, 0);
	CHECK_EQ(reply(P3, &yi, &d), DHCPOFFER);
	CHECK_EQ(yi, LAST);
}

TEST(NICDHCP_0002, "server: NAK for a wrong address, another's address and an empty REQUEST; renewal ACKed; RELEASE, DECLINE, INFORM")
{
	struct dhcp_view d;
	uint32_t yi = 0;

	server_on();
	client_msg(P1, M1, DHCPDISCOVER, 0, 0, 0, 0, 0);
	CHECK_EQ(reply(P1, &yi, &d), DHCPOFFER);
	/* selecting us with another address than offered */
	client_msg(P1, M1, DHCPREQUEST, 0, DHCPO_REQUESTED_IP, FIRST + 2, DHCPO_SERVER_ID, RA);
	CHECK_EQ(reply(P1, &yi, &d), DHCPNAK);
	CHECK_EQ(yi, 0u);
	CHECK(!memcmp(sent[0].f, BCAST, 6));   /* NAKs are broadcast */
	client_msg(P1, M1, DHCPREQUEST, 0, DHCPO_REQUESTED_IP, FIRST, DHCPO_SERVER_ID, RA);
	CHECK_EQ(reply(P1, &yi, &d), DHCPACK);
	/* INIT-REBOOT of M2 for M1's address; outside the subnet; nothing asked */
	client_msg(P2, M2, DHCPREQUEST, 0, DHCPO_REQUESTED_IP, FIRST, 0, 0);
	CHECK_EQ(reply(P2, &yi, &d), DHCPNAK);
	client_msg(P2, M2, DHCPREQUEST, 0, DHCPO_REQUESTED_IP, IP(10, 9, 9, 9), 0, 0);
	CHECK_EQ(reply(P2, &yi, &d), DHCPNAK);
	client_msg(P2, M2, DHCPREQUEST, 0, 0, 0, 0, 0);
	CHECK_EQ(reply(P2, &yi, &d), DHCPNAK);
	/* renewing: unicast from the address, ACKed to it */
	client_msg(P1, M1, DHCPREQUEST, FIRST, 0, 0, 0, 0);
	CHECK_EQ(reply(P1, &yi, &d), DHCPACK);
	CHECK_EQ(yi, FIRST);
	/* renewing an address that is not its own */
	client_msg(P2, M2, DHCPREQUEST, FIRST + 1, 0, 0, 0, 0);
	CHECK_EQ(reply(P2, &yi, &d), DHCPNAK);
	/* the client chose another server: its offer is withdrawn, no answer */
	client_msg(P2, M2, DHCPDISCOVER, 0, 0, 0, 0, 0);
	CHECK_EQ(reply(P2, &yi, &d), DHCPOFFER);
	CHECK_EQ(yi, FIRST + 1);
	client_msg(P2, M2, DHCPREQUEST, 0, DHCPO_REQUESTED_IP, yi, DHCPO_SERVER_ID, IP(10, 0, 1, 7));
	CHECK_EQ(nsent, 0u);
	/* DECLINE: FIRST + 1 is in use by someone: M3 does not get it */
	client_msg(P2, M2, DHCPDISCOVER, 0, 0, 0, 0, 0);
	CHECK_EQ(reply(P2, &yi, &d), DHCPOFFER);
	client_msg(P2, M2, DHCPREQUEST, 0, DHCPO_REQUESTED_IP, yi, DHCPO_SERVER_ID, RA);
	CHECK_EQ(reply(P2, &yi, &d), DHCPACK);
	CHECK_EQ(yi, FIRST + 1);
	client_msg(P2, M2, DHCPDECLINE, 0, DHCPO_REQUESTED_IP, FIRST + 1, DHCPO_SERVER_ID, RA);
	CHECK_EQ(nsent, 0u);
	client_msg(P3, M3, DHCPDISCOVER, 0, 0, 0, 0, 0);
	CHECK_EQ(reply(P3, &yi, &d), DHCPOFFER);
	CHECK_EQ(yi, FIRST + 2);
	/* RELEASE: M1's address is free again, M2 gets it */
	client_msg(P1, M1, DHCPRELEASE, FIRST, DHCPO_SERVER_ID, RA, 0, 0);
	CHECK_EQ(nsent, 0u);
	client_msg(P2, M2, DHCPDISCOVER, 0, 0, 0, 0, 0);
	CHECK_EQ(reply(P2, &yi, &d), DHCPOFFER);
	CHECK_EQ(yi, FIRST);
	/* INFORM: the options, no address, no lease */
	client_msg(P1, M1, DHCPINFORM, IP(10, 0, 1, 50), 0, 0, 0, 0);
	CHECK_EQ(reply(P1, &yi, &d), DHCPACK);
	CHECK_EQ(yi, 0u);
	CHECK(!(d.has & DHCP_HAS_LEASE));
	CHECK_EQ(d.router, RA);
	/* the pool (3 addresses: one offered to M2, one to M3, one declined) is spent */
	client_msg(P1, M1, DHCPDISCOVER, 0, 0, 0, 0, 0);
	CHECK_EQ(nsent, 0u);
}

TEST(NICDHCP_0003, "server: a lease expires after lease_sec, an untaken offer after its hold time; the address goes to another MAC")
{
	struct dhcp_view d;
	uint32_t yi = 0;

	server_on();
	client_msg(P1, M1, DHCPDISCOVER, 0, 0, 0, 0, 0);
	CHECK_EQ(reply(P1, &yi, &d), DHCPOFFER);
	client_msg(P1, M1, DHCPREQUEST, 0, DHCPO_REQUESTED_IP, FIRST, DHCPO_SERVER_ID, RA);
	CHECK_EQ(reply(P1, &yi, &d), DHCPACK);
	client_msg(P2, M2, DHCPDISCOVER, 0, 0, 0, 0, 0);
	CHECK_EQ(reply(P2, &yi, &d), DHCPOFFER);
	CHECK_EQ(yi, FIRST + 1);
	CHECK_EQ(rt_next_event(&R), 1000u + RT_OFFER_HOLD_MS);
	rt_tick(&R, 1000 + RT_OFFER_HOLD_MS);
	/* M2's offer is gone, M1's lease is not */
	client_msg(P3, M3, DHCPDISCOVER, 0, 0, 0, 0, 0);
	CHECK_EQ(reply(P3, &yi, &d), DHCPOFFER);
	CHECK_EQ(yi, FIRST + 1);
	rt_tick(&R, 1000 + 60 * 1000 - 1);
	client_msg(P1, M1, DHCPREQUEST, FIRST, 0, 0, 0, 0);
	CHECK_EQ(reply(P1, &yi, &d), DHCPACK);   /* renewed at 61 s: until 121 s */
	rt_tick(&R, 1000 + 60 * 1000 - 1 + 60 * 1000);
	client_msg(P1, M1, DHCPREQUEST, FIRST, 0, 0, 0, 0);
	CHECK_EQ(reply(P1, &yi, &d), DHCPNAK);   /* expired */
	client_msg(P2, M2, DHCPDISCOVER, 0, DHCPO_REQUESTED_IP, FIRST, 0, 0);
	CHECK_EQ(reply(P2, &yi, &d), DHCPOFFER);
	CHECK_EQ(yi, FIRST);
}

TEST(NICDHCP_0004, "server: malformed messages counted as bad, replies and foreign chaddrs dropped; nothing answered; config refusals")
{
	uint8_t f[ETH_FRAME_MAX], o[32];
	size_t n, len;
	uint64_t bad, dropped;

	server_on();
	bad = R.dom[DA].cnt.bad;
	dropped = R.dom[DA].cnt.dropped;
	/* an option running past the end */
	{
		uint8_t g[ETH_FRAME_MAX];
		n = opts(o, DHCPDISCOVER, 0, 0, 0, 0);
		o[n++] = DHCPO_LEASE;
		o[n++] = 200;
		o[n++] = 1;
		len = dhcp_frame(g, BCAST, M1, 0, 0xffffffffu, 68, 67, DHCP_BOOTREQUEST, 1, 0, 0, M1,
				 o, n);
		rt_input(&R, (unsigned)P1, g, len);
	}
	/* option overload, two message types, no message type */
	n = opts(o, DHCPDISCOVER, 0, 0, 0, 0);
	o[n++] = DHCPO_OVERLOAD;
	o[n++] = 1;
	o[n++] = 1;
	len = dhcp_frame(f, BCAST, M1, 0, 0xffffffffu, 68, 67, DHCP_BOOTREQUEST, 1, 0, 0, M1, o, n);
	rt_input(&R, (unsigned)P1, f, len);
	n = opts(o, DHCPDISCOVER, 0, 0, 0, 0);
	n += opts(o + n, DHCPREQUEST, 0, 0, 0, 0);
	len = dhcp_frame(f, BCAST, M1, 0, 0xffffffffu, 68, 67, DHCP_BOOTREQUEST, 1, 0, 0, M1, o, n);
	rt_input(&R, (unsigned)P1, f, len);
	len = dhcp_frame(f, BCAST, M1, 0, 0xffffffffu, 68, 67, DHCP_BOOTREQUEST, 1, 0, 0, M1, o, 0);
	rt_input(&R, (unsigned)P1, f, len);
	CHECK_EQ(R.dom[DA].cnt.bad, bad + 4);
	CHECK_EQ(nsent, 0u);
	/* a reply to the server's port, a request for another MAC than the
	 * sender's, an OFFER from a client */
	n = opts(o, DHCPDISCOVER, 0, 0, 0, 0);
	len = dhcp_frame(f, BCAST, M1, 0, 0xffffffffu, 68, 67, DHCP_BOOTREPLY, 1, 0, 0, M1, o, n);
	rt_input(&R, (unsigned)P1, f, len);
	len = dhcp_frame(f, BCAST, M1, 0, 0xffffffffu, 68, 67, DHCP_BOOTREQUEST, 1, 0, 0, M2, o, n);
	rt_input(&R, (unsigned)P1, f, len);
	n = opts(o, DHCPOFFER, 0, 0, 0, 0);
	len = dhcp_frame(f, BCAST, M1, 0, 0xffffffffu, 68, 67, DHCP_BOOTREQUEST, 1, 0, 0, M1, o, n);
	rt_input(&R, (unsigned)P1, f, len);
	CHECK_EQ(R.dom[DA].cnt.dropped, dropped + 3);
	CHECK_EQ(nsent, 0u);
	/* a wrong UDP checksum: the UDP parser refuses it first */
	n = opts(o, DHCPDISCOVER, 0, 0, 0, 0);
	len = dhcp_frame(f, BCAST, M1, 0, 0xffffffffu, 68, 67, DHCP_BOOTREQUEST, 1, 0, 0, M1, o, n);
	f[14 + 20 + 6] ^= 1;
	rt_input(&R, (unsigned)P1, f, len);
	CHECK_EQ(R.dom[DA].cnt.bad, bad + 5);
	CHECK_EQ(nsent, 0u);
	/* ranges outside the subnet, upside down, the broadcast address,
	 * a short lease, the uplink domain */
	CHECK_EQ(rt_dhcp_server(&R, (unsigned)DA, IP(10, 0, 2, 1), IP(10, 0, 2, 9), 60, 0, false), -1);
	CHECK_EQ(rt_dhcp_server(&R, (unsigned)DA, LAST, FIRST, 60, 0, false), -1);
	CHECK_EQ(rt_dhcp_server(&R, (unsigned)DA, FIRST, IP(10, 0, 1, 255), 60, 0, false), -1);
	CHECK_EQ(rt_dhcp_server(&R, (unsigned)DA, FIRST, LAST, 59, 0, false), -1);
	CHECK_EQ(rt_dhcp_server(&R, (unsigned)DU, MINE + 1, MINE + 2, 60, 0, false), -1);
}

/* ---- the client ---- */

static uint32_t cxid(void)
{
	return R.dom[DU].cli.xid;
}

/* The server (10.0.2.2) answers the client on the uplink. */
static void server_msg(uint8_t type, uint32_t xid, uint32_t yiaddr, uint32_t lease)
{
	uint8_t f[ETH_FRAME_MAX], o[64];
	size_t n = opts(o, type, DHCPO_SERVER_ID, SRV, lease ? DHCPO_LEASE : 0, lease);
	size_t len;

	if (type != DHCPNAK) {
		o[n++] = DHCPO_SUBNET;
		o[n++] = 4;
		put32(o + n, 0xffffff00u);
		n += 4;
		o[n++] = DHCPO_ROUTER;
		o[n++] = 4;
		put32(o + n, SRV);
		n += 4;
		o[n++] = DHCPO_DNS;
		o[n++] = 4;
		put32(o + n, DNS);
		n += 4;
	}
	len = dhcp_frame(f, NICMAC, SMAC, SRV, yiaddr ? yiaddr : 0xffffffffu, 67, 68,
			 DHCP_BOOTREPLY, xid, 0, yiaddr, NICMAC, o, n);
	rt_input(&R, (unsigned)PU, f, len);
}

/* The one frame the client sent: its DHCP message. */
static int client_sent(struct ipv4_view *ip, struct dhcp_view *d)
{
	if (nsent != 1 || sent[0].port != (unsigned)PU || parse_dhcp(&sent[0], ip, d))
		return -1;
	nsent = 0;
	if (d->op != DHCP_BOOTREQUEST || memcmp(d->chaddr, NICMAC, 6) || memcmp(sent[0].f + 6, NICMAC, 6))
		return -1;
	return d->msg_type;
}

/* A NAT'ed UDP datagram from domain a's host out: sent (1) or not (0). */
static int nat_probe(void)
{
	uint8_t f[128], u[12];
	uint8_t *ip = f + 14;
	size_t len = 14 + 20 + 12;

	memset(u, 0, sizeof(u));
	put16(u, 5000);
	put16(u + 2, 53);
	put16(u + 4, 12);
	memcpy(u + 8, "ping", 4);
	memset(f, 0, sizeof(f));
	memcpy(f, RMAC, 6);
	memcpy(f + 6, M1, 6);
	put16(f + 12, ETH_TYPE_IPV4);
	ip[0] = 0x45;
	put16(ip + 2, 32);
	ip[8] = 64;
	ip[9] = IP_PROTO_UDP;
	put32(ip + 12, IP(10, 0, 1, 2));
	put32(ip + 16, IP(192, 0, 2, 1));
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	memcpy(ip + 20, u, 12);
	put16(ip + 26, csum_fold(csum_add(csum_pseudo(IP(10, 0, 1, 2), IP(192, 0, 2, 1),
						      IP_PROTO_UDP, 12), ip + 20, 12)));
	nsent = 0;
	rt_input(&R, (unsigned)P1, f, len);
	{
		int out = nsent == 1 && sent[0].port == (unsigned)PU;
		nsent = 0;
		return out;
	}
}

/* Client on, through DISCOVER/OFFER/REQUEST/ACK at time 1 s: bound. */
static void client_bound(uint32_t lease)
{
	struct ipv4_view ip;
	struct dhcp_view d;

	setup(true);
	rt_dhcp_client(&R, (unsigned)DU, true);
	rt_tick(&R, 1000);
	CHECK_EQ(client_sent(&ip, &d), DHCPDISCOVER);
	server_msg(DHCPOFFER, cxid(), MINE, lease);
	rt_tick(&R, 1000);
	CHECK_EQ(client_sent(&ip, &d), DHCPREQUEST);
	server_msg(DHCPACK, cxid(), MINE, lease);
	CHECK_EQ(R.dom[DU].cli.state, DHCPC_BOUND);
}

TEST(NICDHCP_0010, "client: DISCOVER retransmitted with back-off, OFFER, REQUEST, ACK: address, mask, gateway, DNS; NAT only once bound")
{
	struct ipv4_view ip;
	struct dhcp_view d;
	uint32_t xid;

	setup(true);
	/* before any lease: NAT has no address, the frame is counted */
	CHECK_EQ(nat_probe(), 0);
	CHECK_EQ(R.dom[DA].cnt.no_address, 1u);
	rt_dhcp_client(&R, (unsigned)DU, true);
	CHECK_EQ(rt_next_event(&R), 1000u);
	rt_tick(&R, 1000);
	CHECK_EQ(client_sent(&ip, &d), DHCPDISCOVER);
	CHECK_EQ(ip.src, 0u);
	CHECK_EQ(ip.dst, 0xffffffffu);
	CHECK(!memcmp(sent[0].f, BCAST, 6));
	xid = d.xid;
	/* no answer: again after 1 s, then after 2 s more */
	CHECK_EQ(rt_next_event(&R), 2000u);
	rt_tick(&R, 1999);
	CHECK_EQ(nsent, 0u);
	rt_tick(&R, 2000);
	CHECK_EQ(client_sent(&ip, &d), DHCPDISCOVER);
	CHECK_EQ(rt_next_event(&R), 4000u);
	rt_tick(&R, 4000);
	CHECK_EQ(client_sent(&ip, &d), DHCPDISCOVER);
	CHECK_EQ(d.xid, xid);
	/* an offer of another transaction is ignored */
	server_msg(DHCPOFFER, xid + 1, MINE, 120);
	CHECK_EQ(R.dom[DU].cli.state, DHCPC_SELECTING);
	server_msg(DHCPOFFER, xid, MINE, 120);
	CHECK_EQ(R.dom[DU].cli.state, DHCPC_REQUESTING);
	rt_tick(&R, 4000);
	CHECK_EQ(client_sent(&ip, &d), DHCPREQUEST);
	CHECK_EQ(d.requested, MINE);
	CHECK_EQ(d.server_id, SRV);
	CHECK_EQ(ip.src, 0u);
	server_msg(DHCPACK, xid, MINE, 120);
	CHECK_EQ(R.dom[DU].cli.state, DHCPC_BOUND);
	CHECK_EQ(R.dom[DU].ip, MINE);
	CHECK_EQ(R.dom[DU].mask, 0xffffff00u);
	CHECK_EQ(R.dom[DU].gateway, SRV);
	CHECK_EQ(R.dom[DU].cli.dns, DNS);
	CHECK_EQ(R.dom[DU].cli.lease_sec, 120u);
	CHECK_EQ(rt_next_event(&R), 4000u + 60 * 1000);   /* T1 */
	/* NAT now works (the gateway's MAC must be learned first) */
	{
		uint8_t f[60];
		memset(f, 0, 60);
		memcpy(f, NICMAC, 6);
		memcpy(f + 6, SMAC, 6);
		put16(f + 12, ETH_TYPE_ARP);
		put16(f + 14, 1);
		put16(f + 16, ETH_TYPE_IPV4);
		f[18] = 6;
		f[19] = 4;
		put16(f + 20, ARP_REPLY);
		memcpy(f + 22, SMAC, 6);
		put32(f + 28, SRV);
		memcpy(f + 32, NICMAC, 6);
		put32(f + 38, MINE);
		rt_input(&R, (unsigned)PU, f, 60);
	}
	CHECK_EQ(nat_probe(), 1);
}

TEST(NICDHCP_0011, "client: renew at T1 (unicast to the server), rebind at T2 (broadcast), the lease's end drops the address and the NAT mappings")
{
	struct ipv4_view ip;
	struct dhcp_view d;
	uint8_t f[60];

	client_bound(100);
	/* the server's MAC, for the unicast renewal and NAT */
	memset(f, 0, 60);
	memcpy(f, NICMAC, 6);
	memcpy(f + 6, SMAC, 6);
	put16(f + 12, ETH_TYPE_ARP);
	put16(f + 14, 1);
	put16(f + 16, ETH_TYPE_IPV4);
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, ARP_REPLY);
	memcpy(f + 22, SMAC, 6);
	put32(f + 28, SRV);
	memcpy(f + 32, NICMAC, 6);
	put32(f + 38, MINE);
	rt_input(&R, (unsigned)PU, f, 60);
	CHECK_EQ(nat_probe(), 1);
	CHECK(R.nat[0].used);
	/* T1 = 50 s after 1 s */
	rt_tick(&R, 50999);
	CHECK_EQ(nsent, 0u);
	rt_tick(&R, 51000);
	CHECK_EQ(client_sent(&ip, &d), DHCPREQUEST);
	CHECK_EQ(R.dom[DU].cli.state, DHCPC_RENEWING);
	CHECK_EQ(ip.src, MINE);
	CHECK_EQ(ip.dst, SRV);
	CHECK_EQ(d.ciaddr, MINE);
	CHECK(!memcmp(sent[0].f, SMAC, 6));
	CHECK(!(d.has & (DHCP_HAS_REQUESTED | DHCP_HAS_SERVER_ID)));
	server_msg(DHCPACK, cxid(), MINE, 100);
	CHECK_EQ(R.dom[DU].cli.state, DHCPC_BOUND);
	CHECK_EQ(rt_next_event(&R), 51000u + 50000);
	/* no answers now: renewing from 101 s, rebinding from T2 = 51 + 87.5 s */
	for (uint64_t t = 101000; t < 51000 + 87500; t += 500)
		rt_tick(&R, t);
	CHECK_EQ(R.dom[DU].cli.state, DHCPC_RENEWING);
	nsent = 0;
	rt_tick(&R, 51000 + 87500);
	CHECK_EQ(client_sent(&ip, &d), DHCPREQUEST);
	CHECK_EQ(R.dom[DU].cli.state, DHCPC_REBINDING);
	CHECK_EQ(ip.dst, 0xffffffffu);
	CHECK_EQ(d.ciaddr, MINE);
	/* the lease ends at 151 s: the address, NAT mappings go; DISCOVER */
	for (uint64_t t = 51000 + 87500; t < 151000; t += 500)
		rt_tick(&R, t);
	CHECK_EQ(R.dom[DU].ip, MINE);
	nsent = 0;
	rt_tick(&R, 151000);
	CHECK_EQ(R.dom[DU].ip, 0u);
	CHECK(!R.nat[0].used);
	CHECK_EQ(client_sent(&ip, &d), DHCPDISCOVER);
	CHECK_EQ(nat_probe(), 0);
}

TEST(NICDHCP_0012, "client: a NAK starts over; a restart (link up, new Uplink session) asks for the address again and keeps it if nobody answers")
{
	struct ipv4_view ip;
	struct dhcp_view d;

	client_bound(3600);
	/* restart: INIT-REBOOT with the address it has */
	rt_dhcp_client_restart(&R, (unsigned)DU);
	rt_tick(&R, 2000);
	CHECK_EQ(client_sent(&ip, &d), DHCPREQUEST);
	CHECK_EQ(R.dom[DU].cli.state, DHCPC_REBOOTING);
	CHECK_EQ(d.requested, MINE);
	CHECK(!(d.has & DHCP_HAS_SERVER_ID));
	CHECK_EQ(R.dom[DU].ip, MINE);
	/* nobody answers: after the tries, bound as before */
	for (uint64_t t = 2000; t < 60000; t += 500)
		rt_tick(&R, t);
	CHECK_EQ(R.dom[DU].cli.state, DHCPC_BOUND);
	CHECK_EQ(R.dom[DU].ip, MINE);
	/* a restart answered with NAK: the address goes, DISCOVER after 1 s */
	nsent = 0;
	rt_dhcp_client_restart(&R, (unsigned)DU);
	rt_tick(&R, 60000);
	CHECK_EQ(client_sent(&ip, &d), DHCPREQUEST);
	server_msg(DHCPNAK, cxid(), 0, 0);
	CHECK_EQ(R.dom[DU].ip, 0u);
	CHECK_EQ(R.dom[DU].cli.state, DHCPC_SELECTING);
	rt_tick(&R, 60999);
	CHECK_EQ(nsent, 0u);
	rt_tick(&R, 61000);
	CHECK_EQ(client_sent(&ip, &d), DHCPDISCOVER);
	/* malformed replies are counted bad and change nothing */
	{
		uint64_t bad = R.dom[DU].cnt.bad;
		uint8_t f[ETH_FRAME_MAX], o[8];
		size_t n = opts(o, DHCPOFFER, 0, 0, 0, 0);
		o[n++] = DHCPO_SERVER_ID;
		o[n++] = 3;   /* must be 4 */
		size_t len = dhcp_frame(f, NICMAC, SMAC, SRV, 0xffffffffu, 67, 68, DHCP_BOOTREPLY,
					cxid(), 0, MINE, NICMAC, o, n);
		rt_input(&R, (unsigned)PU, f, len);
		CHECK_EQ(R.dom[DU].cnt.bad, bad + 1);
		CHECK_EQ(R.dom[DU].cli.state, DHCPC_SELECTING);
	}
	/* no Uplink session: nothing sent, the client waits */
	rt_port_remove(&R, (unsigned)PU);
	nsent = 0;
	for (uint64_t t = 61000; t < 200000; t += 1000)
		rt_tick(&R, t);
	CHECK_EQ(nsent, 0u);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
