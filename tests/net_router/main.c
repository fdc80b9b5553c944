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
 *   role="sink"    (run/net_router_bench) on port: TCP rounds of an 8-byte
 *                  length and that many bytes, each answered with one
 *                  byte once all arrived; on port + 1: UDP datagrams sent
 *                  back to where they came from
 *   role="bench"   (run/net_router_bench) against the sink (peer=) through
 *                  the router, in busy instructions (argil/busy.h, -icount
 *                  shift=0): tcp_throughput_local (8 MiB after a 256 KiB
 *                  warm-up; bytes per million busy instructions) and
 *                  packet_roundtrip (a 64-byte UDP datagram there and
 *                  back, mean of 1000 after 100 warm-up rounds)
 *
 *   <config role="client" peer="10.0.3.2" port="7000" http="10.0.2.100">
 *     <net address="10.0.1.2" netmask="255.255.255.0" gateway="10.0.1.1"/>
 *   </config>
 */
#include <stdio.h>
#include <string.h>
#include <argil/busy.h>
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/parent.h>
#include <argil/printf.h>
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


/* n bytes of a pattern to the echo and back, compared (lib/net/echo.c) */
static int exchange(net_socket_t so, size_t n, unsigned seed)
{
	return net_echo_exchange(so, out, in, n, seed);
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

/* A domain node of the router's report by name. */
static const struct cfg_node *report_domain(const struct cfg_node *r, const char *name)
{
	for (const struct cfg_node *d = r ? cfg_child(r, "domain") : 0; d; d = cfg_next(d, "domain"))
		if (cfg_attr_is(d, "name", name))
			return d;
	return 0;
}

TEST(NETRTR_0004, "the router's report: domain c is there, domain a's traffic left by NAT (nat_out), its answers came back (the uplink's nat_in)")
{
	static struct config_rom rep;
	const struct cfg_node *a = 0, *up = 0;
	uint64_t deadline = net_now_us() + 30000000, nat_out = 0, nat_in = 0;

	CHECK_OK(config_rom_open(&rep, "nic_router", 0, 0, 0));
	/* the report is rewritten when the config changed; wait for that one */
	while (!report_domain(rep.node, "c")) {
		CHECK(net_now_us() < deadline);
		net_wait(200000);
		config_rom_update(&rep);
	}
	a = report_domain(rep.node, "a");
	up = report_domain(rep.node, "uplink");
	CHECK(a && up);
	CHECK(cfg_attr_u64(a, "nat_out", 0, &nat_out) >= 0);
	CHECK(cfg_attr_u64(up, "nat_in", 0, &nat_in) >= 0);
	printf("net_router_test: the router's report: domain a nat_out=%llu, uplink nat_in=%llu\n",
	       (unsigned long long)nat_out, (unsigned long long)nat_in);
	CHECK(nat_out > 0);
	CHECK(nat_in > 0);
	config_rom_close(&rep, 0);
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

/* ---- run/net_router_bench ---- */

#define STREAM_BYTES (8u << 20)
#define ROUNDS 1000

static uint8_t big[65536];

static void bench_fail(const char *what, net_err_t e)
{
	printf("FAIL net_router_bench: %s: %s\n", what, net_err_name(e));
	component_exit(1);
}

#define TRY(e, what)                              \
	do {                                      \
		net_err_t st_ = (e);              \
		if (st_ != NET_OK)                \
			bench_fail(what, st_);    \
	} while (0)

/* TCP rounds and UDP echo at once, non-blocking, forever */
static void run_sink(void)
{
	net_socket_t l, u, c = 0;
	uint64_t want = 0, got = 0;
	uint8_t hdr[8];
	size_t hl = 0;

	TRY(net_tcp_listen(stack, (uint16_t)port, 1, NET_NONBLOCK, &l), "listen");
	TRY(net_udp_open(stack, (uint16_t)(port + 1), NET_NONBLOCK, &u), "udp");
	printf("sink: listening on %u (TCP) and %u (UDP)\n", (unsigned)port, (unsigned)port + 1);
	for (;;) {
		bool moved = false;
		size_t n, size;
		uint32_t ip;
		uint16_t from;
		net_err_t e;

		if (!c && net_tcp_accept(l, &c) == NET_OK) {
			net_socket_nonblock(c, true);
			moved = true;
		}
		while (net_udp_recvfrom(u, big, sizeof(big), &n, &size, &ip, &from) == NET_OK) {
			net_udp_sendto(u, ip, from, big, n);
			moved = true;
		}
		while (c) {
			if (hl < sizeof(hdr))
				e = net_recv(c, hdr + hl, sizeof(hdr) - hl, &n);
			else
				e = net_recv(c, big, want - got < sizeof(big) ? (size_t)(want - got) : sizeof(big), &n);
			if (e == NET_E_AGAIN)
				break;
			if (e != NET_OK || !n) {
				net_close(c);
				c = 0;
				hl = 0;
				break;
			}
			moved = true;
			if (hl < sizeof(hdr)) {
				hl += n;
				if (hl == sizeof(hdr)) {
					memcpy(&want, hdr, 8);
					got = 0;
				}
			} else {
				got += n;
			}
			if (hl == sizeof(hdr) && got == want) {
				TRY(net_socket_nonblock(c, false), "blocking");
				TRY(net_send(c, "k", 1, 0), "answer");
				TRY(net_socket_nonblock(c, true), "non-blocking");
				hl = 0;
			}
		}
		if (!moved)
			net_wait(0);
	}
}

/* One round: the length, the bytes, the sink's answer. */
static void tcp_round(net_socket_t so, uint64_t bytes)
{
	size_t n;
	char k;

	TRY(net_send(so, &bytes, 8, 0), "send length");
	for (uint64_t off = 0; off < bytes; off += sizeof(big)) {
		size_t piece = bytes - off < sizeof(big) ? (size_t)(bytes - off) : sizeof(big);
		TRY(net_send(so, big, piece, 0), "send");
	}
	TRY(net_recv(so, &k, 1, &n), "answer");
	if (n != 1)
		bench_fail("answer", NET_E_CLOSED);
}

static void run_bench(void)
{
	struct busy_clock clk;
	uint64_t busy, elapsed;
	net_socket_t so, u;
	size_t n, size;
	uint32_t ip;
	uint16_t from;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 13 + (i >> 8));
	TRY(connect_retry(peer, (uint16_t)port, 150, &so), "connect");
	TRY(net_socket_timeout(so, 60000000), "timeout");
	tcp_round(so, 256 * 1024);
	busy_start(&clk);
	tcp_round(so, STREAM_BYTES);
	busy = busy_instructions(&clk, &elapsed);
	printf("net_router_bench: %u bytes through nic_router in %llu busy instructions (%llu elapsed)\n",
	       STREAM_BYTES, (unsigned long long)busy, (unsigned long long)elapsed);
	bench_line("tcp_throughput_local",
		   (unsigned long)((uint64_t)STREAM_BYTES * 1000000ull / (busy ? busy : 1)),
		   "bytes per million busy instructions");
	net_close(so);

	TRY(net_udp_open(stack, 0, 0, &u), "udp");
	TRY(net_socket_timeout(u, 10000000), "timeout");
	for (int i = 0; i < ROUNDS + 100; i++) {
		if (i == 100)
			busy_start(&clk);
		big[0] = (uint8_t)i;
		TRY(net_udp_sendto(u, peer, (uint16_t)(port + 1), big, 64), "sendto");
		TRY(net_udp_recvfrom(u, big + 1024, 1024, &n, &size, &ip, &from), "recvfrom");
		if (n != 64 || ip != peer || big[1024] != (uint8_t)i)
			bench_fail("the echoed datagram", NET_E_INVALID);
	}
	busy = busy_instructions(&clk, &elapsed);
	printf("net_router_bench: %d UDP round trips in %llu busy instructions (%llu elapsed)\n", ROUNDS,
	       (unsigned long long)busy, (unsigned long long)elapsed);
	bench_line("packet_roundtrip", (unsigned long)(busy / ROUNDS), "busy instructions per round trip");
	printf("net_router_bench: done\n");
	component_exit(0);
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
	    port > 65534 || (strcmp(role, "echo") && strcmp(role, "client") && strcmp(role, "late") &&
	     strcmp(role, "sink") && strcmp(role, "bench")) ||
	    (strcmp(role, "echo") && strcmp(role, "sink") && (!cfg_attr(config.node, "peer") ||
				      !net_ip_parse(cfg_attr(config.node, "peer"), &peer))) ||
	    (!strcmp(role, "client") && (!cfg_attr(config.node, "http") ||
					 !net_ip_parse(cfg_attr(config.node, "http"), &http_ip))) ||
	    (!strcmp(role, "late") && (!cfg_attr(config.node, "notify") ||
				       !net_ip_parse(cfg_attr(config.node, "notify"), &notify_ip)))) {
		printf("error: config: role=\"echo|client|late|sink|bench\", port, peer, http (client), "
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
		net_echo_forever(stack, (uint16_t)port, 0);
		component_exit(1);
	}
	if (!strcmp(role, "late"))
		run_late();
	if (!strcmp(role, "sink"))
		run_sink();
	if (!strcmp(role, "bench"))
		run_bench();
	{
		struct test_suite suite = { .name = "net_router_test", .selected = select_client };
		component_exit(test_run(&suite) ? 1 : 0);
	}
}
