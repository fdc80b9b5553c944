/*
 * TCP sockets over lwIP's raw API. lwIP's callbacks only record what
 * happened in the socket (bytes, EOF, errors, new connections); the
 * application learns of it from its calls or from its callback after the
 * stack ran (socket.c). Received bytes are acknowledged to the peer's
 * window (tcp_recved) only when the application has read them, so a slow
 * reader throttles its sender and lwIP's memory holds at most a window.
 */
#include <stdlib.h>
#include <string.h>
#include "net_private.h"

/* ---- lwIP's callbacks ---- */

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct net_socket *so = arg;
	struct dgram *d;

	(void)pcb;
	(void)err;
	if (!p) {
		so->eof = true;
		return ERR_OK;
	}
	/* lwIP keeps the data and offers it again if we cannot take it now */
	if (!(d = calloc(1, sizeof(*d))))
		return ERR_MEM;
	d->p = p;
	if (so->dq_tail)
		so->dq_tail->next = d;
	else
		so->dq_head = d;
	so->dq_tail = d;
	so->dq_bytes += p->tot_len;
	return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
	struct net_socket *so = arg;

	/* lwIP has freed the pcb */
	so->pcb.tcp = NULL;
	if (so->state == ST_CONNECTING && err == ERR_RST)
		so->error = NET_E_REFUSED;
	else if (so->state == ST_CONNECTING && err == ERR_ABRT)
		so->error = NET_E_TIMEOUT;   /* SYN retransmissions ran out */
	else
		so->error = net_err_from_lwip(err);
	so->state = ST_DEAD;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct net_socket *so = arg;

	(void)pcb;
	(void)err;
	so->state = ST_CONNECTED;
	return ERR_OK;
}

void net_tcp_attach(struct net_socket *so, struct tcp_pcb *pcb)
{
	so->pcb.tcp = pcb;
	tcp_arg(pcb, so);
	tcp_recv(pcb, on_recv);
	tcp_err(pcb, on_err);
}

static err_t on_accept(void *arg, struct tcp_pcb *npcb, err_t err)
{
	struct net_socket *ls = arg, *so;

	if (err != ERR_OK || !npcb)
		return ERR_VAL;
	if (ls->acc_count == ls->acc_max || !(so = net_sock_new(SOCK_TCP, ls->stack)))
		return ERR_MEM;   /* lwIP resets the connection */
	so->state = ST_CONNECTED;
	so->nonblock = ls->nonblock;
	so->timeout_us = ls->timeout_us;
	net_tcp_attach(so, npcb);
	ls->accq[(ls->acc_head + ls->acc_count++) % ls->acc_max] = so;
	return ERR_OK;
}

/* ---- the API ---- */

static void free_rx(struct net_socket *so)
{
	while (so->dq_head) {
		struct dgram *d = so->dq_head;
		so->dq_head = d->next;
		pbuf_free(d->p);
		free(d);
	}
	so->dq_tail = NULL;
	so->dq_bytes = 0;
}

void net_tcp_close(struct net_socket *so)
{
	struct tcp_pcb *pcb = so->pcb.tcp;

	free_rx(so);
	if (so->kind == SOCK_LISTEN) {
		while (so->acc_count) {
			struct net_socket *c = so->accq[so->acc_head];
			so->acc_head = (so->acc_head + 1) % so->acc_max;
			so->acc_count--;
			net_tcp_close(c);
			net_sock_free(c);
		}
		free(so->accq);
	}
	if (!pcb)
		return;
	tcp_arg(pcb, NULL);
	so->pcb.tcp = NULL;
	if (so->kind == SOCK_LISTEN) {
		tcp_accept(pcb, NULL);   /* a listener has no error callback */
		tcp_close(pcb);
		return;
	}
	tcp_err(pcb, NULL);
	tcp_recv(pcb, NULL);
	/* data we were sent but never read: lwIP answers with RST (RFC 1122) */
	if (tcp_close(pcb) != ERR_OK)
		tcp_abort(pcb);
}

static struct tcp_pcb *new_pcb(struct net_stack *s)
{
	struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);

	if (pcb)
		tcp_bind_netif(pcb, &s->netif);
	return pcb;
}

net_err_t net_tcp_connect(struct net_stack *s, uint32_t ip, uint16_t port, int flags,
			  net_socket_t *out)
{
	struct net_socket *so;
	struct tcp_pcb *pcb;
	ip_addr_t addr;
	uint64_t deadline;
	err_t e;

	if (!net_core.ready)
		return NET_E_NOT_READY;
	if (!s || !out || !port || !ip)
		return NET_E_INVALID;
	if (!(so = net_sock_new(SOCK_TCP, s)))
		return NET_E_NOMEM;
	if (!(pcb = new_pcb(s))) {
		net_sock_free(so);
		return NET_E_NOMEM;
	}
	so->nonblock = flags & NET_NONBLOCK;
	net_tcp_attach(so, pcb);
	so->state = ST_CONNECTING;
	ip_addr_set_ip4_u32(&addr, lwip_htonl(ip));
	if ((e = tcp_connect(pcb, &addr, port, on_connected)) != ERR_OK) {
		net_tcp_close(so);
		net_sock_free(so);
		return net_err_from_lwip(e);
	}
	*out = so->handle;
	if (so->nonblock)
		return NET_OK;
	deadline = net_deadline(so);
	while (so->state == ST_CONNECTING) {
		if (net_block(deadline) == NET_E_TIMEOUT && so->state == ST_CONNECTING) {
			net_tcp_close(so);
			net_sock_free(so);
			*out = 0;
			return NET_E_TIMEOUT;
		}
	}
	if (so->error != NET_OK) {
		net_err_t err = so->error;
		net_tcp_close(so);
		net_sock_free(so);
		*out = 0;
		return err;
	}
	return NET_OK;
}

net_err_t net_tcp_listen(struct net_stack *s, uint16_t port, unsigned backlog, int flags,
			 net_socket_t *out)
{
	struct net_socket *so;
	struct tcp_pcb *pcb, *lpcb;
	err_t e;

	if (!net_core.ready)
		return NET_E_NOT_READY;
	if (!s || !out || !port || !backlog || backlog > 255)
		return NET_E_INVALID;
	if (!(so = net_sock_new(SOCK_LISTEN, s)))
		return NET_E_NOMEM;
	if (!(so->accq = calloc(backlog, sizeof(*so->accq))) || !(pcb = new_pcb(s))) {
		free(so->accq);
		net_sock_free(so);
		return NET_E_NOMEM;
	}
	so->acc_max = backlog;
	so->nonblock = flags & NET_NONBLOCK;
	/* bound to the interface's address, so that stacks in one component
	 * can listen on the same port */
	if ((e = tcp_bind(pcb, netif_ip_addr4(&s->netif), port)) != ERR_OK ||
	    !(lpcb = tcp_listen_with_backlog_and_err(pcb, (u8_t)backlog, &e))) {
		tcp_close(pcb);
		free(so->accq);
		net_sock_free(so);
		return e == ERR_USE ? NET_E_IN_USE : net_err_from_lwip(e);
	}
	so->pcb.tcp = lpcb;
	so->state = ST_LISTENING;
	tcp_arg(lpcb, so);
	tcp_accept(lpcb, on_accept);
	*out = so->handle;
	return NET_OK;
}

net_err_t net_tcp_accept(net_socket_t h, net_socket_t *out)
{
	struct net_socket *ls = net_sock_get(h), *so;
	uint64_t deadline;

	if (!ls)
		return NET_E_BAD_SOCKET;
	if (ls->kind != SOCK_LISTEN)
		return NET_E_WRONG_KIND;
	if (!out)
		return NET_E_INVALID;
	deadline = net_deadline(ls);
	while (!ls->acc_count) {
		if (ls->nonblock)
			return NET_E_AGAIN;
		if (net_block(deadline) == NET_E_TIMEOUT && !ls->acc_count)
			return NET_E_TIMEOUT;
		if (!(ls = net_sock_get(h)))   /* closed by a callback meanwhile */
			return NET_E_BAD_SOCKET;
	}
	so = ls->accq[ls->acc_head];
	ls->acc_head = (ls->acc_head + 1) % ls->acc_max;
	ls->acc_count--;
	*out = so->handle;
	return NET_OK;
}

/* What can be queued now without blocking. */
static size_t send_room(struct tcp_pcb *pcb)
{
	if (tcp_sndqueuelen(pcb) >= TCP_SND_QUEUELEN)
		return 0;
	return tcp_sndbuf(pcb);
}

net_err_t net_send(net_socket_t h, const void *buf, size_t len, size_t *sent)
{
	struct net_socket *so = net_sock_get(h);
	size_t total = 0, so_room_limit = 0xffff;
	uint64_t deadline;
	net_err_t st = NET_OK;

	if (sent)
		*sent = 0;
	if (!so)
		return NET_E_BAD_SOCKET;
	if (so->kind != SOCK_TCP)
		return NET_E_WRONG_KIND;
	if (!buf && len)
		return NET_E_INVALID;
	deadline = net_deadline(so);
	while (total < len) {
		size_t room;
		bool nomem = false;

		if (so->error != NET_OK) {
			st = so->error;
			break;
		}
		if (!so->pcb.tcp) {
			st = NET_E_CLOSED;
			break;
		}
		room = so->state == ST_CONNECTED ? send_room(so->pcb.tcp) : 0;
		if (room > len - total)
			room = len - total;
		if (room > so_room_limit)
			room = so_room_limit;
		if (room) {
			err_t e = tcp_write(so->pcb.tcp, (const char *)buf + total, (u16_t)room,
					    TCP_WRITE_FLAG_COPY);
			if (e == ERR_OK) {
				so_room_limit = 0xffff;
				total += room;
				tcp_output(so->pcb.tcp);
				continue;
			}
			if (e != ERR_MEM) {
				st = net_err_from_lwip(e);
				break;
			}
			/* tcp_write takes all or nothing: under memory pressure a
			 * smaller piece may still fit */
			if (room > TCP_MSS) {
				so_room_limit = room / 2;
				continue;
			}
			nomem = true;
		}
		if (so->nonblock) {
			st = nomem ? NET_E_NOMEM : NET_E_AGAIN;
			break;
		}
		if (net_block(deadline) == NET_E_TIMEOUT) {
			st = NET_E_TIMEOUT;
			break;
		}
		if (!(so = net_sock_get(h))) {
			st = NET_E_BAD_SOCKET;
			break;
		}
	}
	if (sent)
		*sent = total;
	return total ? NET_OK : st;
}

net_err_t net_recv(net_socket_t h, void *buf, size_t len, size_t *got)
{
	struct net_socket *so = net_sock_get(h);
	uint64_t deadline;

	if (got)
		*got = 0;
	if (!so)
		return NET_E_BAD_SOCKET;
	if (so->kind != SOCK_TCP)
		return NET_E_WRONG_KIND;
	if (!buf || !len || !got)
		return NET_E_INVALID;
	deadline = net_deadline(so);
	for (;;) {
		if (so->dq_head) {
			size_t n = 0;
			while (so->dq_head && n < len) {
				struct dgram *d = so->dq_head;
				size_t left = d->p->tot_len - d->off, take = len - n < left ? len - n : left;
				pbuf_copy_partial(d->p, (char *)buf + n, (u16_t)take, d->off);
				n += take;
				d->off = (u16_t)(d->off + take);
				if (d->off == d->p->tot_len) {
					so->dq_head = d->next;
					if (!so->dq_head)
						so->dq_tail = NULL;
					pbuf_free(d->p);
					free(d);
				}
			}
			so->dq_bytes -= n;
			/* open the window by what was read */
			for (size_t w = n; so->pcb.tcp && w; ) {
				u16_t step = w > 0xffff ? 0xffff : (u16_t)w;
				tcp_recved(so->pcb.tcp, step);
				w -= step;
			}
			*got = n;
			return NET_OK;
		}
		if (so->eof)
			return NET_OK;
		if (so->error != NET_OK)
			return so->error;
		if (!so->pcb.tcp)
			return NET_E_CLOSED;
		if (so->nonblock)
			return NET_E_AGAIN;
		bool timed_out = net_block(deadline) == NET_E_TIMEOUT;
		if (!(so = net_sock_get(h)))
			return NET_E_BAD_SOCKET;
		if (timed_out && !so->dq_head && !so->eof && so->error == NET_OK)
			return NET_E_TIMEOUT;
	}
}
