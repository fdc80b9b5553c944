/*
 * The socket table: handles to struct net_socket, the operations common
 * to TCP and UDP (close, events, errors, timeouts, callbacks) and the
 * dispatch of the applications' callbacks after each run of the stack.
 * A handle is the table index plus a generation in the upper bits, so a
 * closed handle stays invalid after its slot is reused.
 */
#include <stdlib.h>
#include <string.h>
#include "net_private.h"

#define IDX_BITS 12
#define MAX_SOCKETS (1u << IDX_BITS)

static struct net_socket **table;
static unsigned *gens;
static unsigned cap;

struct net_socket *net_sock_get(net_socket_t h)
{
	unsigned idx = (unsigned)h & (MAX_SOCKETS - 1), gen = (unsigned)h >> IDX_BITS;

	if (h <= 0 || idx >= cap || !table[idx] || gens[idx] != gen)
		return NULL;
	return table[idx];
}

struct net_socket *net_sock_new(enum sock_kind kind, struct net_stack *s)
{
	unsigned idx;
	struct net_socket *so;

	for (idx = 1; idx < cap && table[idx]; idx++)
		;
	if (idx >= cap) {
		unsigned ncap = cap ? cap * 2 : 16;
		struct net_socket **nt;
		unsigned *ng;
		if (ncap > MAX_SOCKETS)
			return NULL;
		if (!(nt = realloc(table, ncap * sizeof(*nt))))
			return NULL;
		table = nt;
		if (!(ng = realloc(gens, ncap * sizeof(*ng))))
			return NULL;
		gens = ng;
		memset(table + cap, 0, (ncap - cap) * sizeof(*table));
		memset(gens + cap, 0, (ncap - cap) * sizeof(*gens));
		cap = ncap;
	}
	if (!(so = calloc(1, sizeof(*so))))
		return NULL;
	gens[idx] = (gens[idx] + 1) & ((1u << (31 - IDX_BITS)) - 1);
	if (!gens[idx])
		gens[idx] = 1;
	table[idx] = so;
	so->handle = (net_socket_t)(gens[idx] << IDX_BITS | idx);
	so->kind = kind;
	so->stack = s;
	return so;
}

void net_sock_free(struct net_socket *so)
{
	unsigned idx = (unsigned)so->handle & (MAX_SOCKETS - 1);

	table[idx] = NULL;
	free(so);
}

unsigned net_sock_events(const struct net_socket *so)
{
	unsigned ev = 0;

	if (so->error != NET_OK)
		ev |= NET_EV_ERROR;
	switch (so->kind) {
	case SOCK_TCP:
		if (so->dq_head || so->eof || so->error != NET_OK)
			ev |= NET_EV_READABLE;
		if (so->eof)
			ev |= NET_EV_HUP;
		if (so->state == ST_CONNECTED && so->pcb.tcp && tcp_sndbuf(so->pcb.tcp) > 0 &&
		    tcp_sndqueuelen(so->pcb.tcp) < TCP_SND_QUEUELEN)
			ev |= NET_EV_WRITABLE;
		break;
	case SOCK_LISTEN:
		if (so->acc_count)
			ev |= NET_EV_READABLE;
		break;
	case SOCK_UDP:
		if (so->dq_head)
			ev |= NET_EV_READABLE;
		if (so->pcb.udp)
			ev |= NET_EV_WRITABLE;
		break;
	}
	return ev;
}

void net_sock_dispatch(void)
{
	static bool running;

	if (running)
		return;
	running = true;
	for (unsigned i = 1; i < cap; i++) {
		struct net_socket *so = table[i];
		unsigned ev;
		if (!so || !so->fn)
			continue;
		ev = net_sock_events(so);
		if (ev != so->reported) {
			net_socket_t h = so->handle;
			so->reported = ev;
			so->fn(h, ev, so->fn_arg);
			/* what the callback did (read, sent, closed) is no news to it */
			if ((so = net_sock_get(h)))
				so->reported = net_sock_events(so);
		}
	}
	running = false;
}

net_err_t net_close(net_socket_t h)
{
	struct net_socket *so = net_sock_get(h);

	if (!so)
		return NET_E_BAD_SOCKET;
	if (so->kind == SOCK_UDP)
		net_udp_close(so);
	else
		net_tcp_close(so);
	net_sock_free(so);
	return NET_OK;
}

unsigned net_events(net_socket_t h)
{
	struct net_socket *so = net_sock_get(h);

	return so ? net_sock_events(so) : 0;
}

net_err_t net_socket_error(net_socket_t h)
{
	struct net_socket *so = net_sock_get(h);

	return so ? so->error : NET_E_BAD_SOCKET;
}

net_err_t net_socket_timeout(net_socket_t h, uint64_t us)
{
	struct net_socket *so = net_sock_get(h);

	if (!so)
		return NET_E_BAD_SOCKET;
	so->timeout_us = us;
	return NET_OK;
}

net_err_t net_socket_nonblock(net_socket_t h, bool on)
{
	struct net_socket *so = net_sock_get(h);

	if (!so)
		return NET_E_BAD_SOCKET;
	so->nonblock = on;
	return NET_OK;
}

net_err_t net_socket_sigh(net_socket_t h, net_socket_fn fn, void *arg)
{
	struct net_socket *so = net_sock_get(h);

	if (!so)
		return NET_E_BAD_SOCKET;
	so->fn = fn;
	so->fn_arg = arg;
	so->reported = 0;
	return NET_OK;
}

uint16_t net_local_port(net_socket_t h)
{
	struct net_socket *so = net_sock_get(h);

	if (!so)
		return 0;
	if (so->kind == SOCK_UDP)
		return so->pcb.udp ? so->pcb.udp->local_port : 0;
	return so->pcb.tcp ? so->pcb.tcp->local_port : 0;
}

net_err_t net_peer(net_socket_t h, uint32_t *ip, uint16_t *port)
{
	struct net_socket *so = net_sock_get(h);

	if (!so)
		return NET_E_BAD_SOCKET;
	if (so->kind != SOCK_TCP)
		return NET_E_WRONG_KIND;
	if (!so->pcb.tcp)
		return so->error != NET_OK ? so->error : NET_E_NOT_CONNECTED;
	if (ip)
		*ip = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(&so->pcb.tcp->remote_ip)));
	if (port)
		*port = so->pcb.tcp->remote_port;
	return NET_OK;
}
