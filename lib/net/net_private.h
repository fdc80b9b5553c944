/*
 * lib/net's internals shared by its files: the one lwIP instance of the
 * component, its stacks (one lwIP netif each) and the socket table.
 * Everything runs on the entrypoint's thread.
 */
#ifndef NET_PRIVATE_H
#define NET_PRIVATE_H

#include <net.h>
#include <net_link.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <lwip/tcp.h>
#include <lwip/udp.h>

struct net_stack {
	struct netif netif;
	struct net_link *link;
	bool dhcp;
	struct net_stack *next;
};

enum sock_kind { SOCK_TCP, SOCK_LISTEN, SOCK_UDP };
enum sock_state { ST_CONNECTING, ST_CONNECTED, ST_LISTENING, ST_DEAD };

struct dgram {                 /* a queued UDP datagram, or received TCP bytes */
	struct dgram *next;
	struct pbuf *p;
	uint32_t ip;
	uint16_t port;
	uint16_t off;          /* TCP: bytes of p already read */
};

struct net_socket {
	net_socket_t handle;
	enum sock_kind kind;
	enum sock_state state;
	struct net_stack *stack;
	union {
		struct tcp_pcb *tcp;
		struct udp_pcb *udp;
	} pcb;                 /* NULL once lwIP freed it (error) or we closed it */
	net_err_t error;       /* sticky: refused, reset, aborted */
	bool eof;              /* the peer's FIN arrived */
	bool nonblock;
	uint64_t timeout_us;
	/* listener: accepted connections not yet taken */
	struct net_socket **accq;
	unsigned acc_head, acc_count, acc_max;
	/* TCP: received bytes not yet read (pbuf chains in arrival order);
	 * UDP: datagrams not yet read */
	struct dgram *dq_head, *dq_tail;
	size_t dq_bytes;
	/* the application's callback */
	net_socket_fn fn;
	void *fn_arg;
	unsigned reported;     /* events at the last callback */
};

/* core.c */
struct net_core {
	bool ready;
	struct entrypoint *ep;
	struct net_stack *stacks;
	uint64_t now_us;
	struct net_stats stats;
};
extern struct net_core net_core;
/* Wait for one signal of lib/net (or until deadline_us on the clock, 0: none),
 * then run the stack. NET_E_TIMEOUT when the deadline passed. */
net_err_t net_block(uint64_t deadline_us);
/* The deadline of a blocking call on so that starts now (0: none). */
uint64_t net_deadline(const struct net_socket *so);
net_err_t net_err_from_lwip(err_t e);

/* socket.c */
struct net_socket *net_sock_get(net_socket_t h);
struct net_socket *net_sock_new(enum sock_kind kind, struct net_stack *s);
void net_sock_free(struct net_socket *so);
void net_sock_dispatch(void);
unsigned net_sock_events(const struct net_socket *so);

/* tcp.c, udp.c */
void net_tcp_attach(struct net_socket *so, struct tcp_pcb *pcb);
void net_tcp_close(struct net_socket *so);
void net_udp_close(struct net_socket *so);

#endif
