/*
 * net_router_test (run/net_router_test): lib/net clients of nic_router in
 * several domains, with the real uplink (e1000, QEMU's user network)
 * behind the router. Its config's role says what it does:
 *
 *   role="echo"    listen on port (TCP) and send back whatever comes, on
 *                  every connection at once, forever (the peer in domain b)
 *   role="client"  the cases NETRTR_*: TCP to the echo peer in another
 *                  domain; NAT: an HTTP GET to the host's server (http=
 *                  "a.b.c.d", QEMU's guestfwd) with the body's SHA-256
 *                  logged; a config change of the router (a "Step" session
 *                  moves the router's config ROM, served by a test
 *                  component, to its next step, which adds domain c) while
 *                  a connection to the echo peer carries bytes before,
 *                  during and after it; the change is seen when the "late"
 *                  client from the new domain connects to us (port+1)
 *   role="late"    a client in a domain that is not in the router's first
 *                  config: connects to the echo peer until its link is up
 *                  and the connection works, exchanges, then tells the
 *                  client (notify="a.b.c.d") over TCP
 *
 *   <config role="client" peer="10.0.3.2" port="7000" http="10.0.2.100">
 *     <net address="10.0.1.2" netmask="255.255.255.0" gateway="10.0.1.1"/>
 *   </config>
 */
#include <stdio.h>
#include <string.h>
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/parent.h>
#include <harness.h>
#include <net.h>
#include <net_nic.h>
#include <sha256.h>

static struct component_env *env;
static struct config_rom config;
static struct net_nic_link link;
static struct net_stack *stack;
static uint32_t peer, http_ip, notify_ip;
static uint64_t port = 7000;
static net_socket_t conn;

#define CHECK_NET(e, want) CHECK_ST(e, want)
#define CHUNK (16u * 1024)
#define BYTES (64u * 1024)

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
			net_socket_nonblock(so, true);
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
			net_wait(1000000);
	}
}

/* Send n bytes of a pattern and read them back, compared. */
static int exchange(net_socket_t so, size_t n, unsigned seed)
{
	size_t done = 0, got;

	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(i * 7 + seed + (i >> 9));
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

/* Connect, retrying while refused or unreachable (a peer not listening
 * yet, a link not up yet) for up to tries * 200 ms. */
static net_err_t connect_retry(uint32_t ip, uint16_t p, unsigned tries, net_socket_t *so)
{
	net_err_t e = NET_E_REFUSED;

	for (unsigned t = 0; t < tries; t++) {
		e = net_tcp_connect(stack, ip, p, 0, so);
		if (e == NET_OK)
			return e;
		net_wait(200 * 1000);
	}
	return e;
}

TEST(NETRTR_0001, "TCP to the echo peer in domain b through the router, 64 KiB each way compared")
{
	CHECK(link.link.up);
	CHECK_NET(connect_retry(peer, (uint16_t)port, 150, &conn), NET_OK);
	CHECK_NET(net_socket_timeout(conn, 30000000), NET_OK);
	CHECK_EQ(exchange(conn, BYTES, 1), 0);
}

TEST(NETRTR_0002, "NAT: an HTTP GET from domain a to the host's server behind the uplink")
{
	static const char req[] = "GET /file.bin HTTP/1.1\r\nHost: 10.0.2.100\r\nConnection: close\r\n\r\n";
	static char head[1024];
	struct sha256 h;
	uint8_t digest[32];
	char hex[65];
	size_t hl = 0, got, body = 0;
	unsigned long long length = 0;
	net_socket_t so;
	char *end = 0;

	CHECK_NET(net_tcp_connect(stack, http_ip, 80, 0, &so), NET_OK);
	CHECK_NET(net_socket_timeout(so, 30000000), NET_OK);
	CHECK_NET(net_send(so, req, sizeof(req) - 1, 0), NET_OK);
	/* the head */
	while (!end) {
		CHECK(hl < sizeof(head) - 1);
		CHECK_NET(net_recv(so, head + hl, sizeof(head) - 1 - hl, &got), NET_OK);
		CHECK(got);
		hl += got;
		head[hl] = 0;
		end = strstr(head, "\r\n\r\n");
	}
	CHECK(!strncmp(head, "HTTP/1.1 200 ", 13) || !strncmp(head, "HTTP/1.0 200 ", 13));
	{
		const char *cl = strstr(head, "Content-Length: ");
		CHECK(cl && cl < end);
		for (cl += 16; *cl >= '0' && *cl <= '9'; cl++)
			length = length * 10 + (unsigned long long)(*cl - '0');
	}
	sha256_init(&h);
	body = hl - (size_t)(end + 4 - head);
	sha256_update(&h, end + 4, body);
	for (;;) {
		CHECK_NET(net_recv(so, in, sizeof(in), &got), NET_OK);
		if (!got)
			break;
		sha256_update(&h, in, got);
		body += got;
	}
	CHECK_EQ((unsigned long long)body, length);
	sha256_final(&h, digest);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	printf("net_router_test: NAT: GET http://10.0.2.100/file.bin: %zu bytes, sha256 %s\n", body, hex);
	net_close(so);
}

TEST(NETRTR_0003, "a config change adds domain c while a connection to domain b carries bytes before, during and after it")
{
	net_socket_t l, late = 0;
	cptr_t step;
	word_t id;
	unsigned before = 0, during = 0, after = 0;
	uint64_t deadline;
	char msg[16];
	size_t got = 0;

	CHECK_NET(net_tcp_listen(stack, (uint16_t)(port + 1), 2, NET_NONBLOCK, &l), NET_OK);
	CHECK_EQ(exchange(conn, CHUNK, 10), 0);
	before += CHUNK;
	/* the router's config server moves to its next config: domain c */
	CHECK_OK(parent_session(env->parent, "Step", "", "", 4096, 2, 0, &step, &id));
	printf("net_router_test: the router's config changes (domain c), the connection stays open\n");
	deadline = net_now_us() + 60000000;
	while (net_tcp_accept(l, &late) != NET_OK) {
		CHECK(net_now_us() < deadline);
		CHECK_EQ(exchange(conn, CHUNK, 11 + during / CHUNK), 0);
		during += CHUNK;
	}
	CHECK_NET(net_socket_nonblock(late, false), NET_OK);
	CHECK_NET(net_socket_timeout(late, 30000000), NET_OK);
	while (got < 8) {
		size_t n;
		CHECK_NET(net_recv(late, msg + got, 8 - got, &n), NET_OK);
		CHECK(n);
		got += n;
	}
	CHECK(!memcmp(msg, "domain c", 8));
	net_close(late);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(exchange(conn, CHUNK, 50 + (unsigned)i), 0);
		after += CHUNK;
	}
	CHECK(during > 0);
	printf("net_router_test: one connection, bytes each way: %u before the change, "
	       "%u until domain c answered, %u after\n", before, during, after);
	CHECK_NET(net_close(conn), NET_OK);
	net_close(l);
}

static int select_client(const char *id)
{
	return !strncmp(id, "NETRTR_", 7);
}

/* role late: the new domain's client */
static void run_late(void)
{
	net_socket_t so, n;
	net_err_t e;

	printf("late: waiting for the router to join domain c\n");
	/* the router's link signal (its own handler, which net_wait leaves
	 * for the entrypoint) says when the session joined the domain */
	while (!link.link.up)
		ep_dispatch_one(&env->ep);
	printf("late: link up\n");
	e = connect_retry(peer, (uint16_t)port, 600, &so);
	if (e == NET_OK)
		e = net_socket_timeout(so, 30000000);
	if (e != NET_OK || exchange(so, BYTES, 77)) {
		printf("FAIL late: no connection to the echo peer from domain c: %s\n", net_err_name(e));
		component_exit(1);
	}
	net_close(so);
	printf("late: domain c is up: 64 KiB each way with the echo peer in domain b\n");
	e = connect_retry(notify_ip, (uint16_t)(port + 1), 50, &n);
	if (e == NET_OK)
		e = net_send(n, "domain c", 8, 0);
	if (e != NET_OK) {
		printf("FAIL late: cannot tell the client: %s\n", net_err_name(e));
		component_exit(1);
	}
	net_close(n);
	/* stay: the router keeps the session */
	for (;;)
		net_wait(0);
}

void component_construct(struct component_env *e)
{
	const char *role;
	const struct cfg_node *net_node;
	net_err_t err;

	env = e;
	if (config_rom_open(&config, "config", 0, 0, 0) != RPC_OK || !config.node) {
		printf("error: no config\n");
		component_exit(1);
	}
	role = cfg_attr(config.node, "role");
	net_node = cfg_child(config.node, "net");
	if (!role || !net_node || cfg_attr_u64(config.node, "port", 7000, &port) < 0 || !port ||
	    port > 65534 || (strcmp(role, "echo") && strcmp(role, "client") && strcmp(role, "late")) ||
	    (strcmp(role, "echo") && (!cfg_attr(config.node, "peer") ||
				      !net_ip_parse(cfg_attr(config.node, "peer"), &peer))) ||
	    (!strcmp(role, "client") && (!cfg_attr(config.node, "http") ||
					 !net_ip_parse(cfg_attr(config.node, "http"), &http_ip))) ||
	    (!strcmp(role, "late") && (!cfg_attr(config.node, "notify") ||
				       !net_ip_parse(cfg_attr(config.node, "notify"), &notify_ip)))) {
		printf("error: config: role=\"echo|client|late\", port, peer, http (client), "
		       "notify (late), <net>\n");
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
	if (!strcmp(role, "late"))
		run_late();
	{
		struct test_suite suite = { .name = "net_router_test", .selected = select_client };
		component_exit(test_run(&suite) ? 1 : 0);
	}
}
