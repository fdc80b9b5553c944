/*
 * nic_router_test (run/nic_router_test): lib/net over a Nic session of
 * nic_router. Its config's role says what it does:
 *
 *   role="echo"    listen on port (TCP) and send back whatever comes, for
 *                  every connection, forever (the peer in another domain)
 *   role="client"  the cases: a link from the router, TCP to the echo peer
 *                  in the other domain through the router, 256 KiB each way
 *                  compared, bad frames through a raw Nic session of the
 *                  same domain (dropped by the router) with the connection
 *                  still working afterwards, a second connection
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

static struct component_env *env;
static struct config_rom config;
static struct net_nic_link link;
static struct net_stack *stack;
static uint32_t peer;
static uint64_t port = 7000;
static net_socket_t conn;

#define CHECK_NET(e, want) CHECK_ST(e, want)
#define BYTES (256u * 1024)

static uint8_t out[BYTES], in[BYTES];

/* Echo on every connection at once (non-blocking sockets). */
static void echo_forever(void)
{
	enum { CONNS = 8 };
	static struct { net_socket_t so; uint8_t buf[4096]; size_t len, off; } c[CONNS];
	net_socket_t l;

	if (net_tcp_listen(stack, (uint16_t)port, 4, NET_NONBLOCK, &l) != NET_OK) {
		printf("error: echo: cannot listen on %u\n", (unsigned)port);
		return;
	}
	printf("echo: listening on %u\n", (unsigned)port);
	for (;;) {
		bool moved = false;
		net_socket_t so;

		while (net_tcp_accept(l, &so) == NET_OK) {
			int i;
			for (i = 0; i < CONNS && c[i].so; i++)
				;
			if (i == CONNS) {
				net_close(so);
				continue;
			}
			c[i].so = so;
			c[i].len = c[i].off = 0;
			moved = true;
		}
		for (int i = 0; i < CONNS; i++) {
			size_t n = 0;
			net_err_t e;
			if (!c[i].so)
				continue;
			if (c[i].off == c[i].len) {
				e = net_recv(c[i].so, c[i].buf, sizeof(c[i].buf), &n);
				if (e == NET_E_AGAIN)
					continue;
				if (e != NET_OK || !n) {
					net_close(c[i].so);
					c[i].so = 0;
					continue;
				}
				c[i].len = n;
				c[i].off = 0;
				moved = true;
			}
			e = net_send(c[i].so, c[i].buf + c[i].off, c[i].len - c[i].off, &n);
			if (e == NET_OK) {
				c[i].off += n;
				moved = moved || n;
			} else if (e != NET_E_AGAIN) {
				net_close(c[i].so);
				c[i].so = 0;
			}
		}
		if (!moved)
			net_wait(100 * 1000);
	}
}

TEST(NICRTR_0001, "a Nic session from the router: link up, a MAC, an address on it")
{
	CHECK(link.link.up);
	CHECK(!(link.link.mac[0] & 1));
	CHECK(link.link.mac[0] | link.link.mac[1] | link.link.mac[5]);
	CHECK(net_stack_address(stack));
}

/* Send n bytes of a pattern and read them back. */
static int exchange(net_socket_t so, size_t n, unsigned seed)
{
	size_t done = 0, got;

	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(i * 7 + seed + (i >> 9));
	/* in pieces: the echo answers while we send */
	for (size_t off = 0; off < n;) {
		size_t piece = n - off < 8192 ? n - off : 8192;
		if (net_send(so, out + off, piece, 0) != NET_OK)
			return -1;
		off += piece;
		while (done < off) {
			if (net_recv(so, in + done, n - done, &got) != NET_OK || !got)
				return -2;
			done += got;
		}
	}
	return memcmp(in, out, n) ? -3 : 0;
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
	peer_text = cfg_attr(config.node, "peer");
	net_node = cfg_child(config.node, "net");
	if (!role || !net_node || cfg_attr_u64(config.node, "port", 7000, &port) < 0 || !port ||
	    port > 65535 || (strcmp(role, "echo") && strcmp(role, "client")) ||
	    (!strcmp(role, "client") && (!peer_text || !net_ip_parse(peer_text, &peer)))) {
		printf("error: config: role=\"echo|client\", port, peer (client), <net>\n");
		component_exit(1);
	}
	err = net_init(&env->ep, net_node);
	if (err == NET_OK)
		err = net_nic_link_open(&link, &env->ep, "");
	if (err == NET_OK)
		err = net_stack_open(&stack, &link.link, net_node);
	if (err == NET_OK)
		err = net_stack_wait_address(stack, 30000000);
	if (err != NET_OK) {
		printf("error: %s: no network: %s\n", role, net_err_name(err));
		component_exit(1);
	}
	if (!strcmp(role, "echo")) {
		echo_forever();
		component_exit(1);
	}
	{
		struct test_suite suite = { .name = "nic_router_test" };
		component_exit(test_run(&suite) ? 1 : 0);
	}
}
