/*
 * net_stack_test: lib/net over the lwIP port in one component
 * (run/net_stack_test). Stacks A (10.0.0.1) and B (10.0.0.2) are joined
 * by an in-memory wire, L (10.1.0.1) sits on a loopback link, E asks for
 * DHCP on a wire whose other end only records frames, and D gets its
 * lease from a DHCP server of this test on S (10.2.0.1). The cases: bad
 * configs refused; TCP connect, accept, send and receive blocking; 1 MiB
 * each way at once over non-blocking sockets with SHA-256 on both sides;
 * a refused and an unanswered connection; a peer that closes, a closed
 * handle, wrong kinds of calls; UDP datagrams (fragmented ones, truncated
 * reads, a full queue); DNS through a server on B; DHCP; lwIP's memory budget
 * spent and restored; a socket's callback from the entrypoint's signal.
 * The wires and configs come from here; the config ROM names the
 * addresses (run/config/net_stack_test.config).
 */
#include <stdio.h>
#include <string.h>
#include <argil/component.h>
#include <argil/config_rom.h>
#include <harness.h>
#include <net.h>
#include <net_link.h>
#include <sha256.h>

static struct component_env *env;
static struct config_rom config;
static struct net_wire wire, dhcp_wire, lease_wire;
static struct net_wire_end loop_end, spare_end;
static struct net_stack *sa, *sb, *sl, *se, *sd, *ss;
static uint32_t ip_a, ip_b, ip_l;
static net_socket_t listener;    /* B, port 80 */

#define CHECK_NET(e, want) CHECK_ST(e, want)

static const struct cfg_node *net_node(int i)
{
	const struct cfg_node *n = cfg_child(config.node, "net");

	while (n && i--)
		n = cfg_next(n, "net");
	return n;
}

static void setup(void)
{
	CHECK_OK(config_rom_open(&config, "config", NULL, NULL, NULL));
	CHECK(config.node);
	CHECK(net_node(4));
	CHECK_NET(net_init(&env->ep, net_node(0)), NET_OK);
	CHECK_NET(net_init(&env->ep, net_node(0)), NET_E_INVALID);
	CHECK_NET(net_wire_init(&wire, 128), NET_OK);
	CHECK_NET(net_wire_init(&dhcp_wire, 16), NET_OK);
	CHECK_NET(net_wire_init(&lease_wire, 32), NET_OK);
	CHECK_NET(net_loopback_init(&loop_end, 64), NET_OK);
	CHECK_NET(net_loopback_init(&spare_end, 4), NET_OK);
	CHECK_NET(net_stack_open(&sa, &wire.end[0].link, net_node(0)), NET_OK);
	CHECK_NET(net_stack_open(&sb, &wire.end[1].link, net_node(1)), NET_OK);
	CHECK_NET(net_stack_open(&sl, &loop_end.link, net_node(2)), NET_OK);
	CHECK_NET(net_stack_open(&se, &dhcp_wire.end[0].link, net_node(3)), NET_OK);
	ip_a = net_stack_address(sa);
	ip_b = net_stack_address(sb);
	ip_l = net_stack_address(sl);
	CHECK(ip_a && ip_b && ip_l && ip_a != ip_b);
}

static void status_name(char *buf, unsigned long size, long st, int detail)
{
	(void)detail;
	snprintf(buf, size, "%s", net_err_name((net_err_t)st));
}

/* ---- data: a stream of pseudo-random bytes and its SHA-256 ---- */

struct flow {
	net_socket_t tx, rx;
	size_t total, sent, recvd;
	uint64_t seed;
	uint8_t chunk[16384];
	size_t chunk_len, chunk_off;
	struct sha256 h_tx, h_rx;
	unsigned nomem, again;
};

static void flow_init(struct flow *f, net_socket_t tx, net_socket_t rx, size_t total, uint64_t seed)
{
	memset(f, 0, sizeof(*f));
	f->tx = tx;
	f->rx = rx;
	f->total = total;
	f->seed = seed | 1;
	sha256_init(&f->h_tx);
	sha256_init(&f->h_rx);
}

static void next_chunk(struct flow *f)
{
	size_t n = f->total - f->sent < sizeof(f->chunk) ? f->total - f->sent : sizeof(f->chunk);

	for (size_t i = 0; i < n; i++) {
		f->seed ^= f->seed << 13;
		f->seed ^= f->seed >> 7;
		f->seed ^= f->seed << 17;
		f->chunk[i] = (uint8_t)(f->seed >> 24);
	}
	f->chunk_len = n;
	f->chunk_off = 0;
	sha256_update(&f->h_tx, f->chunk, n);
}

/* One round of non-blocking sends and receives; the bytes moved. */
static size_t flow_pump(struct flow *f)
{
	static uint8_t buf[8192];
	size_t moved = 0, n;
	net_err_t st;

	while (f->sent < f->total) {
		if (f->chunk_off == f->chunk_len)
			next_chunk(f);
		st = net_send(f->tx, f->chunk + f->chunk_off, f->chunk_len - f->chunk_off, &n);
		if (st == NET_E_NOMEM)
			f->nomem++;
		else if (st == NET_E_AGAIN)
			f->again++;
		else
			CHECK_NET(st, NET_OK);
		if (st != NET_OK)
			break;
		f->chunk_off += n;
		f->sent += n;
		moved += n;
	}
	while (f->recvd < f->total) {
		st = net_recv(f->rx, buf, sizeof(buf), &n);
		if (st == NET_E_AGAIN)
			break;
		CHECK_NET(st, NET_OK);
		CHECK_MSG(n > 0, "the stream ended after %zu of %zu bytes", f->recvd, f->total);
		sha256_update(&f->h_rx, buf, n);
		f->recvd += n;
		moved += n;
	}
	return moved;
}

/* Run the flows until all are done; a stall of 100 waits without a byte
 * moving (each wait ends at the next frame or lwIP timer) fails. */
static void flows_run(struct flow *f, int nflows)
{
	int idle = 0;

	for (;;) {
		size_t moved = 0;
		bool done = true;
		for (int i = 0; i < nflows; i++) {
			moved += flow_pump(&f[i]);
			done = done && f[i].recvd == f[i].total;
		}
		if (done)
			break;
		if (moved)
			idle = 0;
		else
			CHECK_MSG(++idle < 100, "no byte moved in 100 waits");
		net_wait(0);
	}
}

static void flow_check(struct flow *f)
{
	uint8_t d1[SHA256_DIGEST], d2[SHA256_DIGEST];
	char hex[SHA256_HEX];

	sha256_final(&f->h_tx, d1);
	sha256_final(&f->h_rx, d2);
	sha256_hex(d2, hex);
	CHECK_MSG(!memcmp(d1, d2, sizeof(d1)), "sha256 of what arrived: %s", hex);
	printf("net_stack_test: %zu bytes, sha256 %s on both sides\n", f->total, hex);
}

/* ---- configs ---- */

struct config_row {
	TEST_ROW;
	const char *xml;
};

static const struct config_row bad_configs[] = {
	{ "NET_0001", "<net/> without dhcp or an address is refused", "<net/>" },
	{ "NET_0002", "an address with a part above 255 is refused",
	  "<net address=\"10.0.0.300\" netmask=\"255.255.255.0\"/>" },
	{ "NET_0003", "an address without a netmask is refused", "<net address=\"10.0.0.5\"/>" },
	{ "NET_0004", "dhcp together with a static address is refused",
	  "<net dhcp=\"yes\" address=\"10.0.0.5\" netmask=\"255.255.255.0\"/>" },
	{ "NET_0005", "a netmask with holes is refused",
	  "<net address=\"10.0.0.5\" netmask=\"255.0.255.0\"/>" },
	{ "NET_0006", "dhcp=\"maybe\" is refused", "<net dhcp=\"maybe\"/>" },
	{ "NET_0007", "a dns server that is no address is refused",
	  "<net address=\"10.0.0.5\" netmask=\"255.255.255.0\" dns=\"ns.example\"/>" },
	{ "NET_0008", "a node other than <net> is refused",
	  "<nic address=\"10.0.0.5\" netmask=\"255.255.255.0\"/>" },
};

TEST_TABLE(NET_0001, bad_configs, row)
{
	static char arena[4096];
	struct cfg_error err;
	struct cfg_node *n = cfg_parse(row->xml, strlen(row->xml), arena, sizeof(arena), &err);
	struct net_stack *s = NULL;

	CHECK(n);
	CHECK_NET(net_stack_open(&s, &spare_end.link, n), NET_E_CONFIG);
	CHECK(!s && !spare_end.link.stack);
}

/* ---- TCP ---- */

static net_socket_t ca, cb;   /* the connection A -> B of the TCP cases */

TEST(NET_0010, "TCP: B listens, A connects (blocking), B accepts, bytes go both ways")
{
	char buf[64];
	size_t n;

	CHECK_NET(net_tcp_listen(sb, 80, 4, 0, &listener), NET_OK);
	CHECK_NET(net_tcp_connect(sa, ip_b, 80, 0, &ca), NET_OK);
	CHECK_NET(net_tcp_accept(listener, &cb), NET_OK);
	CHECK(ca && cb && ca != cb);
	uint32_t ip;
	uint16_t port;
	CHECK_NET(net_peer(cb, &ip, &port), NET_OK);
	CHECK_EQ(ip, ip_a);
	CHECK_EQ(port, net_local_port(ca));
	CHECK_NET(net_peer(ca, &ip, &port), NET_OK);
	CHECK(ip == ip_b && port == 80);
	CHECK_NET(net_peer(listener, &ip, &port), NET_E_WRONG_KIND);
	CHECK_NET(net_send(ca, "hello from A", 12, &n), NET_OK);
	CHECK_EQ(n, 12);
	CHECK_NET(net_recv(cb, buf, sizeof(buf), &n), NET_OK);
	CHECK(n == 12 && !memcmp(buf, "hello from A", 12));
	CHECK_NET(net_send(cb, "and from B", 10, NULL), NET_OK);
	CHECK_NET(net_recv(ca, buf, sizeof(buf), &n), NET_OK);
	CHECK(n == 10 && !memcmp(buf, "and from B", 10));
	CHECK(net_events(ca) & NET_EV_WRITABLE);
	CHECK(!(net_events(ca) & NET_EV_READABLE));
}

TEST(NET_0011, "TCP: 1 MiB each way at once (non-blocking), SHA-256 equal on both sides")
{
	static struct flow f[2];

	CHECK_NET(net_socket_nonblock(ca, true), NET_OK);
	CHECK_NET(net_socket_nonblock(cb, true), NET_OK);
	flow_init(&f[0], ca, cb, 1024 * 1024, 0x1234567);
	flow_init(&f[1], cb, ca, 1024 * 1024, 0x7654321);
	uint64_t t0 = net_now_us();
	flows_run(f, 2);
	printf("net_stack_test: 2 MiB through the wire in %llu ms (a figure, not checked)\n",
	       (unsigned long long)(net_now_us() - t0) / 1000);
	flow_check(&f[0]);
	flow_check(&f[1]);
	CHECK(f[0].again + f[1].again > 0);   /* a 64 KiB window cannot take 1 MiB at once */
}

TEST(NET_0012, "TCP: a connection to a port nobody listens on is refused")
{
	net_socket_t s = 12345;

	CHECK_NET(net_tcp_connect(sa, ip_b, 81, 0, &s), NET_E_REFUSED);
	CHECK_EQ(s, 0);
	/* non-blocking: the error arrives as an event */
	CHECK_NET(net_tcp_connect(sa, ip_b, 81, NET_NONBLOCK, &s), NET_OK);
	for (int i = 0; i < 100 && !(net_events(s) & NET_EV_ERROR); i++)
		net_wait(0);
	CHECK_NET(net_socket_error(s), NET_E_REFUSED);
	CHECK_NET(net_send(s, "x", 1, NULL), NET_E_REFUSED);
	CHECK_NET(net_close(s), NET_OK);
}

TEST(NET_0013, "TCP: a connection to an address nobody has times out with NET_E_TIMEOUT")
{
	net_socket_t s = 0;

	/* blocking calls of a socket made now get a timeout: a non-blocking
	 * connect, then a timeout for the blocking receive */
	CHECK_NET(net_tcp_connect(sa, NET_IP4(10, 0, 0, 99), 80, NET_NONBLOCK, &s), NET_OK);
	CHECK_NET(net_socket_timeout(s, 300 * 1000), NET_OK);
	CHECK_NET(net_socket_nonblock(s, false), NET_OK);
	char c;
	size_t n;
	CHECK_NET(net_recv(s, &c, 1, &n), NET_E_TIMEOUT);
	CHECK(!(net_events(s) & NET_EV_WRITABLE));
	CHECK_NET(net_close(s), NET_OK);
}

TEST(NET_0014, "TCP: the peer closes: EOF, then sends fail with an error; a closed handle gives NET_E_BAD_SOCKET")
{
	char buf[16];
	size_t n = 99;
	net_err_t st = NET_OK;

	CHECK_NET(net_socket_nonblock(ca, false), NET_OK);
	CHECK_NET(net_close(cb), NET_OK);
	CHECK_NET(net_recv(ca, buf, sizeof(buf), &n), NET_OK);
	CHECK_EQ(n, 0);                               /* end of stream */
	CHECK(net_events(ca) & NET_EV_HUP);
	/* B's side is gone: what A sends is answered by RST */
	for (int i = 0; i < 100 && st == NET_OK; i++) {
		st = net_send(ca, "late", 4, NULL);
		net_wait(0);
	}
	CHECK_NET(st, NET_E_RESET);
	CHECK_NET(net_recv(ca, buf, sizeof(buf), &n), NET_OK);   /* EOF stays EOF */
	CHECK_NET(net_close(ca), NET_OK);
	/* every call on a closed handle */
	CHECK_NET(net_send(ca, "x", 1, &n), NET_E_BAD_SOCKET);
	CHECK_NET(net_recv(ca, buf, sizeof(buf), &n), NET_E_BAD_SOCKET);
	CHECK_NET(net_tcp_accept(ca, &n == NULL ? NULL : &ca), NET_E_BAD_SOCKET);
	CHECK_NET(net_udp_sendto(ca, ip_b, 9, "x", 1), NET_E_BAD_SOCKET);
	CHECK_NET(net_close(ca), NET_E_BAD_SOCKET);
	CHECK_NET(net_socket_error(ca), NET_E_BAD_SOCKET);
	CHECK_NET(net_peer(ca, NULL, NULL), NET_E_BAD_SOCKET);
	CHECK_NET(net_close(0), NET_E_BAD_SOCKET);
	CHECK_NET(net_close(-7), NET_E_BAD_SOCKET);
	CHECK_EQ(net_events(ca), 0);
}

TEST(NET_0015, "TCP: wrong kinds of calls, taken ports and bad arguments give clear errors")
{
	net_socket_t u, l2, c;
	size_t n;
	char buf[4];

	CHECK_NET(net_udp_open(sa, 7000, 0, &u), NET_OK);
	CHECK_NET(net_tcp_accept(u, &c), NET_E_WRONG_KIND);
	CHECK_NET(net_send(u, "x", 1, &n), NET_E_WRONG_KIND);
	CHECK_NET(net_recv(listener, buf, sizeof(buf), &n), NET_E_WRONG_KIND);
	CHECK_NET(net_udp_sendto(listener, ip_b, 9, "x", 1), NET_E_WRONG_KIND);
	CHECK_NET(net_udp_open(sa, 7000, 0, &c), NET_E_IN_USE);
	CHECK_NET(net_tcp_listen(sb, 80, 4, 0, &l2), NET_E_IN_USE);
	CHECK_NET(net_tcp_listen(sb, 0, 4, 0, &l2), NET_E_INVALID);
	CHECK_NET(net_tcp_listen(sb, 82, 0, 0, &l2), NET_E_INVALID);
	CHECK_NET(net_tcp_connect(sa, 0, 80, 0, &c), NET_E_INVALID);
	CHECK_NET(net_tcp_connect(NULL, ip_b, 80, 0, &c), NET_E_INVALID);
	CHECK_NET(net_tcp_accept(listener, NULL), NET_E_INVALID);
	CHECK_NET(net_socket_nonblock(listener, true), NET_OK);
	CHECK_NET(net_tcp_accept(listener, &c), NET_E_AGAIN);
	CHECK_NET(net_socket_nonblock(listener, false), NET_OK);
	CHECK_NET(net_close(u), NET_OK);
}

/* ---- UDP ---- */

TEST(NET_0020, "UDP: datagrams of 1, 1400 and 20000 bytes (fragmented) arrive whole, with their source")
{
	static uint8_t big[20000], in[20000];
	static const size_t sizes[] = { 1, 1400, 20000 };
	net_socket_t ua, ub;
	size_t got, size;
	uint32_t ip;
	uint16_t port;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + 3);
	CHECK_NET(net_udp_open(sa, 5000, 0, &ua), NET_OK);
	CHECK_NET(net_udp_open(sb, 6000, 0, &ub), NET_OK);
	CHECK_EQ(net_local_port(ua), 5000);
	for (int i = 0; i < 3; i++)
		CHECK_NET(net_udp_sendto(ua, ip_b, 6000, big, sizes[i]), NET_OK);
	for (int i = 0; i < 3; i++) {
		memset(in, 0, sizeof(in));
		CHECK_NET(net_udp_recvfrom(ub, in, sizeof(in), &got, &size, &ip, &port), NET_OK);
		CHECK_EQ(got, sizes[i]);
		CHECK_EQ(size, sizes[i]);
		CHECK(!memcmp(in, big, got));
		CHECK_EQ(ip, ip_a);
		CHECK_EQ(port, 5000);
	}
	/* an answer; a short buffer gets the first bytes and the full size */
	CHECK_NET(net_udp_sendto(ub, ip, port, big, 1000), NET_OK);
	CHECK_NET(net_udp_recvfrom(ua, in, 10, &got, &size, NULL, NULL), NET_OK);
	CHECK(got == 10 && size == 1000 && !memcmp(in, big, 10));
	CHECK_NET(net_udp_sendto(ua, ip_b, 6000, big, NET_UDP_MAX + 1), NET_E_MSGSIZE);
	CHECK_NET(net_udp_sendto(ua, ip_b, 0, big, 10), NET_E_INVALID);
	CHECK_NET(net_socket_nonblock(ub, true), NET_OK);
	CHECK_NET(net_udp_recvfrom(ub, in, sizeof(in), &got, &size, NULL, NULL), NET_E_AGAIN);
	CHECK_NET(net_close(ua), NET_OK);
	CHECK_NET(net_close(ub), NET_OK);
}

TEST(NET_0021, "UDP: a receiver that does not read keeps a bounded queue, the rest is dropped and counted")
{
	static uint8_t d[1000];
	net_socket_t ua, ub;
	struct net_stats before, after;
	unsigned received = 0;
	size_t got;

	CHECK_NET(net_udp_open(sa, 0, 0, &ua), NET_OK);
	CHECK(net_local_port(ua) != 0);
	CHECK_NET(net_udp_open(sb, 6001, NET_NONBLOCK, &ub), NET_OK);
	net_stats(&before);
	for (int i = 0; i < 300; i++) {
		CHECK_NET(net_udp_sendto(ua, ip_b, 6001, d, sizeof(d)), NET_OK);
		if (i % 16 == 15)
			net_poll();   /* the wire holds 128 frames: let B take them */
	}
	net_poll();
	net_stats(&after);
	while (net_udp_recvfrom(ub, d, sizeof(d), &got, NULL, NULL, NULL) == NET_OK)
		received++;
	printf("net_stack_test: 300 datagrams sent, %u queued, %lu dropped\n", received,
	       after.udp_dropped - before.udp_dropped);
	CHECK(received >= 100 && received < 300);
	CHECK_EQ(received + (after.udp_dropped - before.udp_dropped), 300);
	CHECK_NET(net_close(ua), NET_OK);
	CHECK_NET(net_close(ub), NET_OK);
}

/* ---- DNS: a small server on B, called back from the stack ---- */

static unsigned dns_queries;

/* Answer an A query for host.argil.test with 10.0.0.77, others NXDOMAIN. */
static void dns_server(net_socket_t so, unsigned events, void *arg)
{
	uint8_t q[512], r[512];
	size_t got, pos = 12, rlen;
	uint32_t ip;
	uint16_t port;
	char name[128];
	size_t nlen = 0;

	(void)events;
	(void)arg;
	while (net_udp_recvfrom(so, q, sizeof(q), &got, NULL, &ip, &port) == NET_OK) {
		dns_queries++;
		if (got < 17 || q[4] != 0 || q[5] != 1)
			continue;
		nlen = 0;
		while (pos < got && q[pos] && nlen + q[pos] + 1 < sizeof(name)) {
			memcpy(name + nlen, q + pos + 1, q[pos]);
			nlen += q[pos];
			name[nlen++] = '.';
			pos += q[pos] + 1u;
		}
		if (pos + 5 > got)
			continue;
		name[nlen ? nlen - 1 : 0] = 0;
		pos += 5;   /* the name's end, type, class */
		memcpy(r, q, pos);
		r[2] = 0x81;                       /* response, recursion desired */
		r[6] = r[8] = r[9] = r[10] = r[11] = 0;
		rlen = pos;
		if (!strcmp(name, "host.argil.test")) {
			static const uint8_t an[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 77 };
			r[3] = 0x80;
			r[7] = 1;
			memcpy(r + rlen, an, sizeof(an));
			rlen += sizeof(an);
		} else {
			r[3] = 0x83;               /* NXDOMAIN */
			r[7] = 0;
		}
		net_udp_sendto(so, ip, port, r, rlen);
		pos = 12;
	}
}

TEST(NET_0030, "DNS: a name resolves through the configured server, an unknown one is not found")
{
	net_socket_t srv;
	uint32_t ip = 0;

	CHECK_NET(net_udp_open(sb, 53, NET_NONBLOCK, &srv), NET_OK);
	CHECK_NET(net_socket_sigh(srv, dns_server, NULL), NET_OK);
	CHECK_NET(net_resolve("host.argil.test", &ip, 5 * 1000 * 1000), NET_OK);
	CHECK_EQ(ip, NET_IP4(10, 0, 0, 77));
	CHECK_NET(net_resolve("nothing.argil.test", &ip, 5 * 1000 * 1000), NET_E_NOT_FOUND);
	CHECK_NET(net_resolve("10.2.3.4", &ip, 0), NET_OK);
	CHECK_EQ(ip, NET_IP4(10, 2, 3, 4));
	CHECK_NET(net_resolve("", &ip, 0), NET_E_INVALID);
	CHECK_EQ(dns_queries, 2);
	CHECK_NET(net_close(srv), NET_OK);
}

/* ---- the loopback link ---- */

TEST(NET_0040, "loopback: TCP and UDP to the stack's own address, 256 KiB with SHA-256")
{
	static struct flow f;
	net_socket_t l, c, s, u;
	uint8_t buf[8];
	size_t got;

	CHECK_NET(net_tcp_listen(sl, 80, 1, 0, &l), NET_OK);
	CHECK_NET(net_tcp_connect(sl, ip_l, 80, 0, &c), NET_OK);
	CHECK_NET(net_tcp_accept(l, &s), NET_OK);
	CHECK_NET(net_socket_nonblock(c, true), NET_OK);
	CHECK_NET(net_socket_nonblock(s, true), NET_OK);
	flow_init(&f, c, s, 256 * 1024, 42);
	flows_run(&f, 1);
	flow_check(&f);
	CHECK_NET(net_udp_open(sl, 9, 0, &u), NET_OK);
	CHECK_NET(net_udp_sendto(u, ip_l, 9, "ping", 4), NET_OK);
	CHECK_NET(net_udp_recvfrom(u, buf, sizeof(buf), &got, NULL, NULL, NULL), NET_OK);
	CHECK(got == 4 && !memcmp(buf, "ping", 4));
	CHECK_NET(net_close(u), NET_OK);
	CHECK_NET(net_close(c), NET_OK);
	CHECK_NET(net_close(s), NET_OK);
	CHECK_NET(net_close(l), NET_OK);
}

/* ---- DHCP: what the client sends ---- */

/* Does the frame carry a DHCPDISCOVER (UDP 68 -> 67, the magic cookie,
 * option 53 = 1) from mac? */
static bool is_discover(const uint8_t *f, size_t len, const uint8_t *mac)
{
	size_t ihl, o;

	if (len < 14 + 20 + 8 + 240 || f[12] != 0x08 || f[13] != 0x00 || memcmp(f + 6, mac, 6))
		return false;
	ihl = (f[14] & 15u) * 4;
	if (f[23] != 17 || len < 14 + ihl + 8 + 240)
		return false;
	o = 14 + ihl;
	if (f[o] != 0 || f[o + 1] != 68 || f[o + 2] != 0 || f[o + 3] != 67)
		return false;
	o += 8;   /* the BOOTP message */
	if (f[o] != 1 || memcmp(f + o + 28, mac, 6) ||
	    f[o + 236] != 99 || f[o + 237] != 130 || f[o + 238] != 83 || f[o + 239] != 99)
		return false;
	for (o += 240; o + 2 < len && f[o] != 255; o += f[o] ? 2u + f[o + 1] : 1u)
		if (f[o] == 53)
			return f[o + 1] == 1 && f[o + 2] == 1;
	return false;
}

TEST(NET_0050, "DHCP: the client sends a DHCPDISCOVER; without a server no address comes (timeout)")
{
	struct net_wire_end *peer = &dhcp_wire.end[1];
	bool found = false;

	CHECK_NET(net_stack_wait_address(se, 200 * 1000), NET_E_TIMEOUT);
	CHECK_EQ(net_stack_address(se), 0);
	CHECK(peer->count > 0);
	for (unsigned i = 0; i < peer->count && !found; i++) {
		unsigned slot = (peer->head + i) % peer->slots;
		found = is_discover(peer->frames + (size_t)slot * NET_FRAME_MAX, peer->lens[slot],
				    dhcp_wire.end[0].link.mac);
	}
	CHECK_MSG(found, "none of the %u frames is a DHCPDISCOVER", peer->count);
}

/* A DHCP server on S (10.2.0.1) for the one client on its wire: offers
 * 10.2.0.50/24 with S as router and DNS server (RFC 2131, 2132). */
#define LEASE_IP NET_IP4(10, 2, 0, 50)
static unsigned dhcp_msgs[8];   /* by DHCP message type received */

static size_t put_opt(uint8_t *o, uint8_t code, uint32_t v, uint8_t len)
{
	o[0] = code;
	o[1] = len;
	for (int i = 0; i < len; i++)
		o[2 + i] = (uint8_t)(v >> (8 * (len - 1 - i)));
	return 2u + len;
}

static void dhcp_server(net_socket_t so, unsigned events, void *arg)
{
	uint8_t m[600], r[300];
	size_t got, o, n;
	int type = 0;

	(void)events;
	(void)arg;
	while (net_udp_recvfrom(so, m, sizeof(m), &got, NULL, NULL, NULL) == NET_OK) {
		if (got < 244 || m[0] != 1 || m[236] != 99 || m[237] != 130 || m[238] != 83 ||
		    m[239] != 99)
			continue;
		for (o = 240; o + 2 < got && m[o] != 255; o += m[o] ? 2u + m[o + 1] : 1u)
			if (m[o] == 53)
				type = m[o + 2];
		if (type < 1 || type > 7)
			continue;
		dhcp_msgs[type]++;
		if (type != 1 && type != 3)   /* DISCOVER, REQUEST */
			continue;
		memset(r, 0, sizeof(r));
		r[0] = 2;                     /* BOOTREPLY */
		r[1] = 1;
		r[2] = 6;
		memcpy(r + 4, m + 4, 4);      /* xid */
		memcpy(r + 10, m + 10, 2);    /* flags */
		for (int i = 0; i < 4; i++)
			r[16 + i] = (uint8_t)(LEASE_IP >> (24 - 8 * i));
		memcpy(r + 28, m + 28, 16);   /* chaddr */
		r[236] = 99, r[237] = 130, r[238] = 83, r[239] = 99;
		n = 240;
		n += put_opt(r + n, 53, type == 1 ? 2 : 5, 1);   /* OFFER, ACK */
		n += put_opt(r + n, 54, NET_IP4(10, 2, 0, 1), 4);
		n += put_opt(r + n, 51, 3600, 4);
		n += put_opt(r + n, 1, NET_IP4(255, 255, 255, 0), 4);
		n += put_opt(r + n, 3, NET_IP4(10, 2, 0, 1), 4);
		n += put_opt(r + n, 6, NET_IP4(10, 2, 0, 1), 4);
		r[n++] = 255;
		net_udp_sendto(so, NET_IP4(255, 255, 255, 255), 68, r, n);
	}
}

TEST(NET_0051, "DHCP: a lease from a server on the wire (DISCOVER, OFFER, REQUEST, ACK), then TCP over it")
{
	net_socket_t srv, l, c, s;
	char buf[8];
	size_t got;

	CHECK_NET(net_stack_open(&ss, &lease_wire.end[1].link, net_node(4)), NET_OK);
	CHECK_NET(net_udp_open(ss, 67, NET_NONBLOCK, &srv), NET_OK);
	CHECK_NET(net_socket_sigh(srv, dhcp_server, NULL), NET_OK);
	CHECK_NET(net_stack_open(&sd, &lease_wire.end[0].link, net_node(3)), NET_OK);
	net_err_t st = net_stack_wait_address(sd, 30 * 1000 * 1000);
	CHECK_MSG(st == NET_OK, "%s: %u DISCOVER, %u REQUEST, %u DECLINE received", net_err_name(st),
		  dhcp_msgs[1], dhcp_msgs[3], dhcp_msgs[4]);
	CHECK_EQ(net_stack_address(sd), LEASE_IP);
	CHECK_EQ(dhcp_msgs[1], 1);
	CHECK_EQ(dhcp_msgs[3], 1);
	CHECK_NET(net_tcp_listen(ss, 80, 1, 0, &l), NET_OK);
	CHECK_NET(net_tcp_connect(sd, NET_IP4(10, 2, 0, 1), 80, 0, &c), NET_OK);
	CHECK_NET(net_tcp_accept(l, &s), NET_OK);
	CHECK_NET(net_send(c, "leased", 6, NULL), NET_OK);
	CHECK_NET(net_recv(s, buf, sizeof(buf), &got), NET_OK);
	CHECK(got == 6 && !memcmp(buf, "leased", 6));
	CHECK_NET(net_close(c), NET_OK);
	CHECK_NET(net_close(s), NET_OK);
	CHECK_NET(net_close(l), NET_OK);
	CHECK_NET(net_close(srv), NET_OK);
}

/* ---- lwIP's memory budget ---- */

TEST(NET_0060, "memory: lwIP's budget (its pbufs) spent: frames dropped, sends refused; restored: 256 KiB arrive intact")
{
	static struct flow f;
	static const uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 9, 9, 0x08, 0x06 };
	struct net_stats st0, st1, st2;
	net_socket_t l, c, s, u;

	CHECK_NET(net_tcp_listen(sb, 90, 1, 0, &l), NET_OK);
	CHECK_NET(net_tcp_connect(sa, ip_b, 90, 0, &c), NET_OK);
	CHECK_NET(net_tcp_accept(l, &s), NET_OK);
	CHECK_NET(net_udp_open(sa, 0, 0, &u), NET_OK);
	CHECK_NET(net_socket_nonblock(c, true), NET_OK);
	CHECK_NET(net_socket_nonblock(s, true), NET_OK);
	net_stats(&st0);
	/* no room at all: a received frame is dropped, a datagram refused */
	net_set_memory(st0.mem_used);
	net_link_input(&wire.end[1].link, frame, sizeof(frame));
	CHECK_NET(net_udp_sendto(u, ip_b, 9, "x", 1), NET_E_NOMEM);
	net_stats(&st1);
	CHECK_EQ(st1.rx_dropped, st0.rx_dropped + 1);
	CHECK(st1.mem_failures >= st0.mem_failures + 2);
	/* room for a few segments: a stream runs against the limit */
	net_set_memory(st0.mem_used + 12 * 1024);
	flow_init(&f, c, s, 256 * 1024, 99);
	for (int i = 0; i < 50; i++) {
		flow_pump(&f);
		net_wait(0);
	}
	net_stats(&st2);
	printf("net_stack_test: budget of %zu bytes: %zu bytes sent, %u sends refused (NET_E_NOMEM), "
	       "%lu allocations refused, %lu frames dropped\n", st0.mem_used + 12 * 1024, f.sent, f.nomem,
	       st2.mem_failures - st1.mem_failures, st2.rx_dropped - st1.rx_dropped);
	CHECK(st2.mem_failures > st1.mem_failures);
	CHECK(st2.mem_used <= st0.mem_used + 12 * 1024);
	/* the budget back: the stream completes intact */
	net_set_memory(st0.mem_budget);
	flows_run(&f, 1);
	flow_check(&f);
	CHECK_NET(net_close(u), NET_OK);
	CHECK_NET(net_close(c), NET_OK);
	CHECK_NET(net_close(s), NET_OK);
	CHECK_NET(net_close(l), NET_OK);
}

/* ---- signals: a socket's callback from the entrypoint ---- */

static unsigned cb_events, cb_calls;

static void on_events(net_socket_t so, unsigned events, void *arg)
{
	(void)so;
	(void)arg;
	cb_events = events;
	cb_calls++;
}

TEST(NET_0070, "signals: a datagram for a non-blocking socket calls its callback from the entrypoint")
{
	net_socket_t ua, ub;
	char buf[8];
	size_t got;

	CHECK_NET(net_udp_open(sa, 0, 0, &ua), NET_OK);
	CHECK_NET(net_udp_open(sb, 6002, NET_NONBLOCK, &ub), NET_OK);
	CHECK_NET(net_socket_sigh(ub, on_events, NULL), NET_OK);
	cb_calls = 0;
	net_poll();   /* reports WRITABLE: a UDP socket can always send */
	CHECK_EQ(cb_events, NET_EV_WRITABLE);
	/* the wire's signal runs the stack from the entrypoint, as ep_run does */
	CHECK_NET(net_udp_sendto(ua, ip_b, 6002, "signal", 6), NET_OK);
	for (int i = 0; i < 100 && !(cb_events & NET_EV_READABLE); i++)
		ep_dispatch_one(&env->ep);
	CHECK(cb_events & NET_EV_READABLE);
	CHECK_EQ(cb_calls, 2);
	CHECK_NET(net_udp_recvfrom(ub, buf, sizeof(buf), &got, NULL, NULL, NULL), NET_OK);
	CHECK(got == 6 && !memcmp(buf, "signal", 6));
	net_poll();
	CHECK_EQ(cb_events, NET_EV_WRITABLE);
	CHECK_NET(net_close(ua), NET_OK);
	CHECK_NET(net_close(ub), NET_OK);
}

TEST(NET_0080, "the end: every socket closed, lwIP's memory back to what the stacks hold")
{
	struct net_stats st;

	CHECK_NET(net_close(listener), NET_OK);
	for (int i = 0; i < 20; i++)
		net_wait(100 * 1000);   /* closing connections finish (TIME_WAIT stays) */
	net_stats(&st);
	printf("net_stack_test: lwIP memory: %zu bytes in use, peak %zu, %lu frames in, %lu out, "
	       "%lu wire drops\n", st.mem_used, st.mem_peak, st.rx_frames, st.tx_frames,
	       wire.end[0].dropped + wire.end[1].dropped);
	CHECK(st.mem_used < 64 * 1024);
}

void component_construct(struct component_env *e)
{
	struct test_suite suite = { .name = "net_stack_test", .setup = setup,
				    .status_name = status_name };

	env = e;
	component_exit(test_run(&suite) ? 1 : 0);
}
