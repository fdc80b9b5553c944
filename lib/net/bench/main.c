/*
 * net_wire_bench: what lib/net and the lwIP port cost without any device
 * or other component in the way (run/net_wire_bench, bench/README.md).
 * Stacks A and B of this component on an in-memory wire:
 *   net_wire_tcp_stream   bytes A sends to B over TCP (8 MiB, non-blocking
 *                         sockets, data neither made nor checked) per
 *                         million busy instructions
 *   net_wire_tcp_roundtrip  busy instructions of one byte A -> B -> A over
 *                         a TCP connection (blocking calls), mean of 1000
 * Under -icount shift=0 busy ticks are instructions (argil/busy.h).
 * The figures include both stacks, the copies into and out of the wire
 * and the wire's signals, and no NIC, driver or router.
 */
#include <stdio.h>
#include <string.h>
#include <argil/busy.h>
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/printf.h>
#include <net.h>
#include <net_link.h>

#define STREAM_BYTES (8u << 20)
#define ROUNDS 1000

static struct net_wire wire;
static uint8_t buf[65536];

static void fail(const char *what, net_err_t st)
{
	printf("FAIL net_wire_bench: %s: %s\n", what, net_err_name(st));
	component_exit(1);
}

#define TRY(e, what)                          \
	do {                                  \
		net_err_t st_ = (e);          \
		if (st_ != NET_OK)            \
			fail(what, st_);      \
	} while (0)

static void stream(net_socket_t a, net_socket_t b)
{
	size_t sent = 0, recvd = 0, n;
	struct busy_clock c;
	uint64_t busy;
	net_err_t st;

	TRY(net_socket_nonblock(a, true), "non-blocking");
	TRY(net_socket_nonblock(b, true), "non-blocking");
	busy_start(&c);
	while (recvd < STREAM_BYTES) {
		while (sent < STREAM_BYTES) {
			size_t want = STREAM_BYTES - sent < sizeof(buf) ? STREAM_BYTES - sent : sizeof(buf);
			if ((st = net_send(a, buf, want, &n)) == NET_E_AGAIN)
				break;
			TRY(st, "send");
			sent += n;
		}
		for (;;) {
			if ((st = net_recv(b, buf, sizeof(buf), &n)) == NET_E_AGAIN)
				break;
			TRY(st, "recv");
			if (!n)
				fail("recv", NET_E_CLOSED);
			recvd += n;
		}
		if (recvd < STREAM_BYTES)
			net_wait(0);
	}
	busy = busy_instructions(&c, NULL);
	printf("net_wire_bench: %u bytes in %llu busy instructions\n", STREAM_BYTES,
	       (unsigned long long)busy);
	bench_line("net_wire_tcp_stream", (unsigned long)((uint64_t)STREAM_BYTES * 1000000ull / (busy ? busy : 1)),
		   "bytes per million instructions");
	TRY(net_socket_nonblock(a, false), "blocking");
	TRY(net_socket_nonblock(b, false), "blocking");
}

static void roundtrip(net_socket_t a, net_socket_t b)
{
	struct busy_clock c;
	uint64_t busy = 0;
	size_t n;
	char x = 'x';

	for (int i = 0; i < ROUNDS + 100; i++) {
		if (i == 100)
			busy_start(&c);   /* the first 100 warm up */
		TRY(net_send(a, &x, 1, NULL), "send a");
		TRY(net_recv(b, &x, 1, &n), "recv b");
		TRY(net_send(b, &x, 1, NULL), "send b");
		TRY(net_recv(a, &x, 1, &n), "recv a");
		if (n != 1)
			fail("recv a", NET_E_CLOSED);
	}
	busy = busy_instructions(&c, NULL);
	bench_line("net_wire_tcp_roundtrip", (unsigned long)(busy / ROUNDS), "instructions");
}

void component_construct(struct component_env *env)
{
	static struct config_rom config;
	const struct cfg_node *na, *nb;
	struct net_stack *sa, *sb;
	net_socket_t l, a, b;

	if (config_rom_open(&config, "config", NULL, NULL, NULL) != RPC_OK ||
	    !(na = cfg_child(config.node, "net")) || !(nb = cfg_next(na, "net")))
		fail("config: two <net> nodes", NET_E_CONFIG);
	TRY(net_init(&env->ep, na), "net_init");
	TRY(net_wire_init(&wire, 128), "wire");
	TRY(net_stack_open(&sa, &wire.end[0].link, na), "stack A");
	TRY(net_stack_open(&sb, &wire.end[1].link, nb), "stack B");
	TRY(net_tcp_listen(sb, 80, 1, 0, &l), "listen");
	TRY(net_tcp_connect(sa, net_stack_address(sb), 80, 0, &a), "connect");
	TRY(net_tcp_accept(l, &b), "accept");
	stream(a, b);
	roundtrip(a, b);
	printf("net_wire_bench: done\n");
	component_exit(0);
}
