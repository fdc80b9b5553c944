/*
 * UDP sockets over lwIP's raw API: datagrams wait in the socket's queue,
 * which holds at most UDP_QUEUE_MAX bytes; what arrives beyond that is
 * dropped and counted (net_stats udp_dropped), as a full socket buffer
 * drops datagrams elsewhere.
 */
#include <stdlib.h>
#include "net_private.h"

#define UDP_QUEUE_MAX (128 * 1024)

static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
		    u16_t port)
{
	struct net_socket *so = arg;
	struct dgram *d;

	(void)pcb;
	if (so->dq_bytes + p->tot_len > UDP_QUEUE_MAX || !(d = calloc(1, sizeof(*d)))) {
		net_core.stats.udp_dropped++;
		pbuf_free(p);
		return;
	}
	d->p = p;
	d->ip = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(addr)));
	d->port = port;
	if (so->dq_tail)
		so->dq_tail->next = d;
	else
		so->dq_head = d;
	so->dq_tail = d;
	so->dq_bytes += p->tot_len;
}

net_err_t net_udp_open(struct net_stack *s, uint16_t port, int flags, net_socket_t *out)
{
	struct net_socket *so;
	struct udp_pcb *pcb;
	err_t e;

	if (!net_core.ready)
		return NET_E_NOT_READY;
	if (!s || !out)
		return NET_E_INVALID;
	if (!(so = net_sock_new(SOCK_UDP, s)))
		return NET_E_NOMEM;
	if (!(pcb = udp_new_ip_type(IPADDR_TYPE_V4))) {
		net_sock_free(so);
		return NET_E_NOMEM;
	}
	udp_bind_netif(pcb, &s->netif);
	if ((e = udp_bind(pcb, netif_ip_addr4(&s->netif), port)) != ERR_OK) {
		udp_remove(pcb);
		net_sock_free(so);
		return e == ERR_USE ? NET_E_IN_USE : net_err_from_lwip(e);
	}
	so->pcb.udp = pcb;
	so->nonblock = flags & NET_NONBLOCK;
	so->state = ST_CONNECTED;
	udp_recv(pcb, on_recv, so);
	*out = so->handle;
	return NET_OK;
}

void net_udp_close(struct net_socket *so)
{
	while (so->dq_head) {
		struct dgram *d = so->dq_head;
		so->dq_head = d->next;
		pbuf_free(d->p);
		free(d);
	}
	so->dq_tail = NULL;
	so->dq_bytes = 0;
	if (so->pcb.udp)
		udp_remove(so->pcb.udp);
	so->pcb.udp = NULL;
}

net_err_t net_udp_sendto(net_socket_t h, uint32_t ip, uint16_t port, const void *buf, size_t len)
{
	struct net_socket *so = net_sock_get(h);
	struct pbuf *p;
	ip_addr_t addr;
	err_t e;

	if (!so)
		return NET_E_BAD_SOCKET;
	if (so->kind != SOCK_UDP)
		return NET_E_WRONG_KIND;
	if (!port || !ip || (!buf && len))
		return NET_E_INVALID;
	if (len > NET_UDP_MAX)
		return NET_E_MSGSIZE;
	if (!(p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM)))
		return NET_E_NOMEM;
	if (len)
		pbuf_take(p, buf, (u16_t)len);
	ip_addr_set_ip4_u32(&addr, lwip_htonl(ip));
	e = udp_sendto(so->pcb.udp, p, &addr, port);
	pbuf_free(p);
	return net_err_from_lwip(e);
}

net_err_t net_udp_recvfrom(net_socket_t h, void *buf, size_t len, size_t *got, size_t *size,
			   uint32_t *ip, uint16_t *port)
{
	struct net_socket *so = net_sock_get(h);
	uint64_t deadline;
	struct dgram *d;

	if (got)
		*got = 0;
	if (!so)
		return NET_E_BAD_SOCKET;
	if (so->kind != SOCK_UDP)
		return NET_E_WRONG_KIND;
	if (!got || (!buf && len))
		return NET_E_INVALID;
	deadline = net_deadline(so);
	while (!so->dq_head) {
		if (so->nonblock)
			return NET_E_AGAIN;
		bool timed_out = net_block(deadline) == NET_E_TIMEOUT;
		if (!(so = net_sock_get(h)))
			return NET_E_BAD_SOCKET;
		if (timed_out && !so->dq_head)
			return NET_E_TIMEOUT;
	}
	d = so->dq_head;
	so->dq_head = d->next;
	if (!so->dq_head)
		so->dq_tail = NULL;
	so->dq_bytes -= d->p->tot_len;
	*got = len < d->p->tot_len ? len : d->p->tot_len;
	if (*got)
		pbuf_copy_partial(d->p, buf, (u16_t)*got, 0);
	if (size)
		*size = d->p->tot_len;
	if (ip)
		*ip = d->ip;
	if (port)
		*port = d->port;
	pbuf_free(d->p);
	free(d);
	return NET_OK;
}
