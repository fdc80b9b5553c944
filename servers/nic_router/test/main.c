/*
 * nic_router_test (run/nic_router_test): lib/net over a Nic session of
 * nic_router. Its config's role says what it does:
 *
 *   role="echo"    listen on port (TCP) and send back whatever comes, for
 *                  every connection, forever (the peer in another domain)
 *   role="uplink"  the outside network: an Uplink client of the router
 *                  (plain RAM for its streams) with a lib/net stack behind
 *                  it as the wire's other host (the uplink domain's
 *                  gateway); cases UPLINK_*: a TCP port forward of the
 *                  router into domain b (to the echo peer); then it echoes
 *                  on port, logging where each connection comes from (the
 *                  router's uplink address: NAT)
 *   role="client"  the cases: a link from the router, TCP to the echo peer
 *                  in the other domain through the router, 256 KiB each way
 *                  compared, bad frames through a raw Nic session of the
 *                  same domain (dropped by the router) with the connection
 *                  still working afterwards, a second connection
 *   role="counters" (run/net_bad_frames) no network: watch the router's
 *                  report (ROM "nic_router") until the uplink domain has
 *                  counted at least bad="N" frames refused by its parsers,
 *                  then log its counters and exit
 *
 *   dhcp_address (client): the address the router's DHCP server must give
 *   dhcp_lease, lease_sec (uplink): serve DHCP to the router's uplink (that
 *                  address for lease_sec), UPLINK_0003 checks what it asked
 *
 *   <config role="client" peer="10.0.3.2" port="7000">
 *     <net address="10.0.1.2" netmask="255.255.255.0" gateway="10.0.1.1"/>
 *   </config>
 */
#include <stdio.h>
#include <string.h>
#include <argil/component.h>
#include <argil/config_rom.h>
#include <harness.h>
#include <net.h>
#include <net_nic.h>
#include <nic_connection.h>
#include <argil/ram_buf.h>

static struct component_env *env;
static struct config_rom config;
static struct net_nic_link link;
static struct net_stack *stack;
static uint32_t peer;
static uint64_t port = 7000;
static net_socket_t conn;
static bool uplink_role;

#define CHECK_NET(e, want) CHECK_ST(e, want)
#define BYTES (256u * 1024)

static uint8_t out[BYTES], in[BYTES];

static int exchange(net_socket_t so, size_t n, unsigned seed);

/* The uplink's echo says where a connection comes from (the NAT's
 * address: UPLINK_ cases look for it in the log). */
static void echo_accepted(net_socket_t so)
{
	uint32_t ip = 0;
	uint16_t p = 0;
	char text[NET_IP_STR];

	if (net_peer(so, &ip, &p) == NET_OK)
		printf("echo: connection from %s\n", net_ip_format(ip, text));
}

/* ---- the outside network behind an Uplink session ---- */

static struct uplink_connection up;
static struct ram_buf upmem[NIC_STREAMS];
static struct net_link ulink;

static net_err_t ul_transmit(struct net_link *l, const void *frame, size_t len)
{
	(void)l;
	return uplink_rx_frame(&up, frame, len) == PS_OK ? NET_OK : NET_E_AGAIN;
}

static unsigned ul_poll(struct net_link *l)
{
	struct uplink_buf b;
	unsigned n = 0;

	uplink_rx_reclaim(&up);
	while (uplink_tx_next(&up, &b)) {
		net_link_input(l, b.data, b.len);
		uplink_tx_done(&up, &b, true);
		n++;
	}
	uplink_tx_flush(&up);
	return n;
}

static const struct net_link_ops ul_ops = { ul_transmit, ul_poll };

static net_err_t uplink_open_link(void)
{
	struct uplink_args a;
	static const uint8_t nic_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x22 };
	static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x33 };

	memset(&a, 0, sizeof(a));
	for (int i = 0; i < NIC_STREAMS; i++) {
		if (ram_buf_alloc(&upmem[i], 128 * 1024) != RPC_OK)
			return NET_E_NOMEM;
		a.ds[i] = upmem[i].ds;
		a.mem[i] = upmem[i].va;
		a.size[i] = upmem[i].size;
	}
	memcpy(a.mac, nic_mac, 6);
	a.link = true;
	a.slots = 64;
	a.sigh = net_link_signal_cap();
	if (uplink_connect(&up, "", &a) != RPC_OK)
		return NET_E_UNREACHABLE;
	ulink.ops = &ul_ops;
	memcpy(ulink.mac, peer_mac, 6);
	ulink.mtu = 1500;
	ulink.up = true;
	return NET_OK;
}

/* ---- a DHCP server on the outside network for the router's uplink ----
 * (dhcp_lease="a.b.c.d" lease_sec="N" on the uplink role): it offers and
 * acknowledges that address, and counts what the router asks. */

static uint32_t lease_ip;
static uint64_t lease_sec = 10;
static net_socket_t dhcp_so;
static unsigned dhcp_discovers, dhcp_selects, dhcp_renewals, dhcp_reboots;

static void dhcp_serve(net_socket_t so, unsigned events, void *arg)
{
	static uint8_t q[600], a[300];
	size_t got, size;
	uint32_t from;

	(void)events;
	(void)arg;
	while (net_udp_recvfrom(so, q, sizeof(q), &got, &size, &from, 0) == NET_OK) {
		uint8_t type = 0;
		bool requested = false, server_id = false;
		uint32_t ciaddr;
		size_t n;

		if (got < 240 || q[0] != 1 || q[236] != 99 || q[237] != 130 || q[238] != 83 || q[239] != 99)
			continue;
		for (size_t i = 240; i + 1 < got && q[i] != 255;) {
			if (q[i] == 0) {
				i++;
				continue;
			}
			if (q[i] == 53 && q[i + 1] == 1 && i + 2 < got)
				type = q[i + 2];
			requested = requested || q[i] == 50;
			server_id = server_id || q[i] == 54;
			i += 2u + q[i + 1];
		}
		ciaddr = (uint32_t)q[12] << 24 | (uint32_t)q[13] << 16 | (uint32_t)q[14] << 8 | q[15];
		if (type == 1)
			dhcp_discovers++;
		else if (type == 3 && server_id)
			dhcp_selects++;
		else if (type == 3 && ciaddr)
			dhcp_renewals++;
		else if (type == 3 && requested)
			dhcp_reboots++;
		else
			continue;
		memset(a, 0, sizeof(a));
		a[0] = 2;
		a[1] = 1;
		a[2] = 6;
		memcpy(a + 4, q + 4, 4);          /* xid */
		memcpy(a + 12, q + 12, 4);        /* ciaddr */
		for (int i = 0; i < 4; i++)
			a[16 + i] = (uint8_t)(lease_ip >> (24 - 8 * i));
		memcpy(a + 28, q + 28, 16);       /* chaddr */
		n = 236;
		a[n++] = 99, a[n++] = 130, a[n++] = 83, a[n++] = 99;
		a[n++] = 53, a[n++] = 1, a[n++] = type == 1 ? 2 : 5;   /* OFFER, ACK */
		a[n++] = 54, a[n++] = 4, a[n++] = 10, a[n++] = 0, a[n++] = 2, a[n++] = 2;
		a[n++] = 1, a[n++] = 4, a[n++] = 255, a[n++] = 255, a[n++] = 255, a[n++] = 0;
		a[n++] = 3, a[n++] = 4, a[n++] = 10, a[n++] = 0, a[n++] = 2, a[n++] = 2;
		a[n++] = 6, a[n++] = 4, a[n++] = 10, a[n++] = 0, a[n++] = 2, a[n++] = 3;
		a[n++] = 51, a[n++] = 4, a[n++] = 0, a[n++] = 0, a[n++] = (uint8_t)(lease_sec >> 8),
		a[n++] = (uint8_t)lease_sec;
		a[n++] = 255;
		net_udp_sendto(so, ciaddr ? ciaddr : 0xffffffffu, 68, a, 300);
	}
}

static net_err_t dhcp_server_start(void)
{
	net_err_t e = net_udp_open(stack, 67, NET_NONBLOCK, &dhcp_so);

	if (e == NET_OK)
		e = net_socket_sigh(dhcp_so, dhcp_serve, 0);
	return e;
}

TEST(UPLINK_0001, "a TCP port forward: the router's uplink address, port 7000, reaches the echo peer in domain b")
{
	net_socket_t so = 0;
	net_err_t e = NET_E_REFUSED;
	uint32_t router_ip;

	CHECK(net_ip_parse("10.0.2.15", &router_ip));
	/* the echo peer may not listen yet: refused until it does */
	for (int tries = 0; tries < 100 && e == NET_E_REFUSED; tries++) {
		e = net_tcp_connect(stack, router_ip, 7000, 0, &so);
		if (e == NET_E_REFUSED)
			net_wait(100 * 1000);
	}
	CHECK_NET(e, NET_OK);
	CHECK_NET(net_socket_timeout(so, 30000000), NET_OK);
	CHECK_EQ(exchange(so, 64 * 1024, 9), 0);
	CHECK_NET(net_close(so), NET_OK);
}

TEST(UPLINK_0002, "a restarted uplink (session closed, a new one with new streams): an open connection through the router carries on")
{
	net_socket_t so = 0;
	uint32_t router_ip;

	CHECK(net_ip_parse("10.0.2.15", &router_ip));
	CHECK_NET(net_tcp_connect(stack, router_ip, 7000, 0, &so), NET_OK);
	CHECK_NET(net_socket_timeout(so, 60000000), NET_OK);
	CHECK_EQ(exchange(so, 16 * 1024, 10), 0);
	for (int round = 0; round < 3; round++) {
		uplink_disconnect(&up);
		for (int i = 0; i < NIC_STREAMS; i++)
			ram_buf_free(&upmem[i]);
		CHECK_NET(uplink_open_link(), NET_OK);
		CHECK_EQ(exchange(so, 16 * 1024, 11 + (unsigned)round), 0);
	}
	printf("uplink: restarted 3 times, the connection carried on\n");
	CHECK_NET(net_close(so), NET_OK);
}

TEST(UPLINK_0003, "the router's uplink by DHCP: a lease (DISCOVER, REQUEST), renewed at T1 by unicast, asked for again (INIT-REBOOT) after each new Uplink session")
{
	if (!lease_ip)
		return;
	CHECK(dhcp_discovers >= 1);
	CHECK(dhcp_selects >= 1);
	/* UPLINK_0002's three new sessions */
	CHECK(dhcp_reboots >= 3);
	/* T1 is half the lease: wait for a renewal (a bound, not a threshold) */
	for (int i = 0; i < 600 && !dhcp_renewals; i++)
		net_wait(100 * 1000);
	CHECK(dhcp_renewals >= 1);
	printf("uplink: DHCP %u discover, %u select, %u renew, %u reboot\n", dhcp_discovers,
	       dhcp_selects, dhcp_renewals, dhcp_reboots);
}

static uint32_t dhcp_address;

TEST(NICRTR_0001, "a Nic session from the router: link up, a MAC, an address on it (from the router's DHCP server with dhcp_address)")
{
	CHECK(link.link.up);
	CHECK(!(link.link.mac[0] & 1));
	CHECK(link.link.mac[0] | link.link.mac[1] | link.link.mac[5]);
	CHECK(net_stack_address(stack));
	if (dhcp_address) {
		char text[NET_IP_STR];
		CHECK_EQ(net_stack_address(stack), dhcp_address);
		printf("nic_router_test: address %s from the router's DHCP server\n",
		       net_ip_format(net_stack_address(stack), text));
	}
}

/* n bytes of a pattern to the echo and back, compared (lib/net/echo.c) */
static int exchange(net_socket_t so, size_t n, unsigned seed)
{
	return net_echo_exchange(so, out, in, n, seed);
}

TEST(NICRTR_0002, "TCP to the echo peer in another domain through the router")
{
	CHECK_NET(net_tcp_connect(stack, peer, (uint16_t)port, 0, &conn), NET_OK);
	CHECK_NET(net_socket_timeout(conn, 30000000), NET_OK);
	CHECK_EQ(exchange(conn, 16, 1), 0);
}

TEST(NICRTR_0003, "256 KiB each way through the router, compared")
{
	CHECK_EQ(exchange(conn, BYTES, 2), 0);
	printf("nic_router_test: %u bytes each way between domains\n", BYTES);
}

TEST(NICRTR_0004, "bad frames from a second session in the domain are dropped; the connection keeps working")
{
	struct nic_connection raw;
	uint8_t f[128];
	unsigned sent = 0;

	CHECK_OK(nic_connect(&raw, "bad", 0, 0, 0, 0, 0));
	/* to the router's MAC: an IPv4 total length below its header, IPv4
	 * headers with wrong checksums, an ARP of another hardware type */
	for (int kind = 0; kind < 4; kind++) {
		memset(f, 0, sizeof(f));
		memcpy(f, raw.mac, 6);
		memcpy(f + 6, "\x02\x00\x00\x00\xba\xd0", 6);
		f[12] = 0x08;
		f[13] = kind == 3 ? 0x06 : 0x00;
		f[14] = 0x45;
		f[16] = 0;
		f[17] = kind == 0 ? 10 : 40;    /* total length */
		f[22] = 64;
		f[23] = 6;
		memcpy(f + 26, "\x0a\x00\x01\x09\x0a\x00\x03\x02", 8);
		if (kind == 3) {
			f[14] = 0;
			f[15] = 6;   /* htype 6 */
		}
		if (nic_send(&raw, f, 60) == PS_OK)
			sent++;
	}
	CHECK_EQ(sent, 4u);
	/* a frame of NIC_FRAME_MAX + 1 is refused by the library itself */
	CHECK_EQ(nic_send(&raw, f, NIC_FRAME_MAX + 1), PS_E_INVALID);
	nic_disconnect(&raw);
	CHECK_EQ(exchange(conn, 64 * 1024, 3), 0);
}

TEST(NICRTR_0005, "a second connection while the first stays open; both work")
{
	net_socket_t two;

	CHECK_NET(net_tcp_connect(stack, peer, (uint16_t)port, 0, &two), NET_OK);
	CHECK_NET(net_socket_timeout(two, 30000000), NET_OK);
	CHECK_EQ(exchange(two, 32 * 1024, 4), 0);
	CHECK_EQ(exchange(conn, 32 * 1024, 5), 0);
	CHECK_NET(net_close(two), NET_OK);
	CHECK_NET(net_close(conn), NET_OK);
}

TEST(NICRTR_0006, "NAT: TCP from domain a to the outside host behind the uplink")
{
	net_socket_t so;
	uint32_t outside;

	CHECK(net_ip_parse("10.0.2.2", &outside));
	/* outside listens once its own cases passed: refused until then */
	net_err_t e = NET_E_REFUSED;
	for (int tries = 0; tries < 600 && e == NET_E_REFUSED; tries++) {
		e = net_tcp_connect(stack, outside, 7000, 0, &so);
		if (e == NET_E_REFUSED)
			net_wait(100 * 1000);
	}
	CHECK_NET(e, NET_OK);
	CHECK_NET(net_socket_timeout(so, 30000000), NET_OK);
	CHECK_EQ(exchange(so, 64 * 1024, 6), 0);
	CHECK_NET(net_close(so), NET_OK);
}

TEST(NICRTR_0007, "two sessions opening at once: a broadcast in the domain between the second's session and its attach does not break its streams")
{
	struct nic_connection one, two;
	uint8_t f[60];

	CHECK_OK(nic_connect(&one, "first", 0, 0, 0, 0, 0));
	/* the second session exists, its client has not attached the streams */
	CHECK_OK(nic_open(&two, "second", 0, 0, 0));
	/* a broadcast of an ethertype nobody speaks from the first, switched
	 * to every port of the domain */
	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	memcpy(f + 6, one.mac, 6);
	f[6] ^= 0x02;
	f[5 + 6] ^= 0x5a;
	f[12] = 0x88;
	f[13] = 0xb5;
	CHECK_EQ(nic_send(&one, f, sizeof(f)), PS_OK);
	/* the router acknowledges a frame after it switched it */
	for (int i = 0; i < 1000 && one.up.in_flight; i++) {
		nic_reclaim(&one);
		if (one.up.in_flight)
			net_wait(10 * 1000);
	}
	CHECK_EQ(one.up.in_flight, 0u);
	/* the attach found both streams as the router handed them over, and
	 * frames flow to it from now on: the next broadcast arrives */
	CHECK_OK(nic_attach(&two, 0, 0));
	CHECK(two.link);
	CHECK_EQ(nic_send(&one, f, sizeof(f)), PS_OK);
	{
		uint8_t buf[NIC_FRAME_MAX];
		size_t got = 0;
		for (int i = 0; i < 1000 && !got; i++) {
			got = nic_recv(&two, buf, sizeof(buf));
			if (!got)
				net_wait(10 * 1000);
		}
		CHECK_EQ(got, sizeof(f));
		CHECK(!memcmp(buf, f, sizeof(f)));
	}
	nic_disconnect(&two);
	nic_disconnect(&one);
}

/* role="counters" */
static struct config_rom report;
static uint64_t bad_wanted;

static uint64_t counter(const struct cfg_node *d, const char *name)
{
	uint64_t v = 0;

	if (cfg_attr_u64(d, name, 0, &v) < 0)
		printf("error: counters: %s of domain %s is no number\n", name, cfg_attr(d, "name"));
	return v;
}

static void on_report(void *arg)
{
	const struct cfg_node *d;

	(void)arg;
	if (!config_rom_update(&report))
		return;
	for (d = cfg_child(report.node, "domain"); d; d = cfg_next(d, "domain")) {
		const char *name = cfg_attr(d, "name");
		if (!name || strcmp(name, "uplink"))
			continue;
		if (counter(d, "bad") < bad_wanted)
			return;
		printf("counters: uplink rx=%llu bad=%llu dropped=%llu echo=%llu; at least %llu bad\n",
		       (unsigned long long)counter(d, "rx"), (unsigned long long)counter(d, "bad"),
		       (unsigned long long)counter(d, "dropped"), (unsigned long long)counter(d, "echo"),
		       (unsigned long long)bad_wanted);
		for (d = cfg_child(report.node, "domain"); d; d = cfg_next(d, "domain"))
			printf("counters: domain %s rx=%llu tx=%llu bad=%llu dropped=%llu routed=%llu "
			       "nat_out=%llu nat_in=%llu\n", cfg_attr(d, "name"),
			       (unsigned long long)counter(d, "rx"), (unsigned long long)counter(d, "tx"),
			       (unsigned long long)counter(d, "bad"),
			       (unsigned long long)counter(d, "dropped"),
			       (unsigned long long)counter(d, "routed"),
			       (unsigned long long)counter(d, "nat_out"),
			       (unsigned long long)counter(d, "nat_in"));
		component_exit(0);
	}
}

static void watch_counters(void)
{
	if (cfg_attr_u64(config.node, "bad", 0, &bad_wanted) < 0 || !bad_wanted) {
		printf("error: config: role=\"counters\" needs bad=\"N\" (N > 0)\n");
		component_exit(1);
	}
	if (config_rom_open(&report, "nic_router", &env->ep, on_report, 0) != RPC_OK) {
		printf("error: counters: no ROM \"nic_router\"\n");
		component_exit(1);
	}
	on_report(0);
}

static int select_uplink(const char *id)
{
	return !strncmp(id, "UPLINK_", 7) == uplink_role;
}

void component_construct(struct component_env *e)
{
	const char *role, *peer_text;
	const struct cfg_node *net_node;
	net_err_t err;

	env = e;
	if (config_rom_open(&config, "config", 0, 0, 0) != RPC_OK || !config.node) {
		printf("error: no config\n");
		component_exit(1);
	}
	role = cfg_attr(config.node, "role");
	if (role && !strcmp(role, "counters")) {
		watch_counters();
		return;
	}
	peer_text = cfg_attr(config.node, "peer");
	net_node = cfg_child(config.node, "net");
	if (!role || !net_node || cfg_attr_u64(config.node, "port", 7000, &port) < 0 || !port ||
	    port > 65535 || (strcmp(role, "echo") && strcmp(role, "client") && strcmp(role, "uplink")) ||
	    (!strcmp(role, "client") && (!peer_text || !net_ip_parse(peer_text, &peer))) ||
	    (cfg_attr(config.node, "dhcp_address") &&
	     !net_ip_parse(cfg_attr(config.node, "dhcp_address"), &dhcp_address))) {
		printf("error: config: role=\"echo|client|uplink|counters\", port, peer (client), "
		       "<net>\n");
		component_exit(1);
	}
	if ((cfg_attr(config.node, "dhcp_lease") &&
	     !net_ip_parse(cfg_attr(config.node, "dhcp_lease"), &lease_ip)) ||
	    cfg_attr_u64(config.node, "lease_sec", 10, &lease_sec) < 0 || lease_sec > 65535) {
		printf("error: config: dhcp_lease=\"a.b.c.d\" lease_sec=\"..65535\"\n");
		component_exit(1);
	}
	err = net_init(&env->ep, net_node);
	uplink_role = !strcmp(role, "uplink");
	if (err == NET_OK)
		err = uplink_role ? uplink_open_link() : net_nic_link_open(&link, &env->ep, "");
	if (err == NET_OK)
		err = net_stack_open(&stack, uplink_role ? &ulink : &link.link, net_node);
	if (err == NET_OK && uplink_role && lease_ip)
		err = dhcp_server_start();
	if (err == NET_OK)
		err = net_stack_wait_address(stack, 30000000);
	if (err != NET_OK) {
		printf("error: %s: no network: %s\n", role, net_err_name(err));
		component_exit(1);
	}
	if (!strcmp(role, "echo")) {
		net_echo_forever(stack, (uint16_t)port, uplink_role ? echo_accepted : 0);
		component_exit(1);
	}
	{
		struct test_suite suite = { .name = uplink_role ? "nic_router_uplink" : "nic_router_test",
					    .selected = select_uplink };
		int failed = test_run(&suite);
		if (uplink_role && !failed)
			net_echo_forever(stack, (uint16_t)port, uplink_role ? echo_accepted : 0);
		component_exit(failed ? 1 : 0);
	}
}
