/*
 * lib/net: TCP/IP for Argil applications (docs/network.md). Each component
 * runs its own lwIP (ports/lwip) on its entrypoint, one thread: the stack
 * runs when the component calls into lib/net (a blocking call waits for
 * the next frame or timer on the entrypoint and runs the stack meanwhile)
 * or when its signal arrives (a frame from a link, a timeout of the Timer
 * session); a non-blocking socket then reports its new events through a
 * callback of the application. All of lib/net is for the entrypoint's
 * thread only.
 *
 *   net_init(&env->ep, config)           once: Timer session, memory budget
 *   net_stack_open(&s, link, netnode)    an interface over a link, addressed
 *                                        statically or by DHCP
 *   net_tcp_connect / net_tcp_listen / net_tcp_accept / net_send / net_recv
 *   net_udp_open / net_udp_sendto / net_udp_recvfrom / net_close
 *
 * Sockets are handles (like file descriptors): a closed or unknown handle
 * gives NET_E_BAD_SOCKET, never a crash. Addresses are IPv4, host byte
 * order (NET_IP4(10, 0, 0, 1)).
 *
 * Configuration: the <net> node of the component's config,
 *   <net dhcp="yes"/>
 *   <net address="10.0.2.15" netmask="255.255.255.0" gateway="10.0.2.2"
 *        dns="10.0.2.3" memory="2M"/>
 * memory (read by net_init) is lwIP's budget on the component's heap:
 * pbufs, PCBs, queues (default NET_MEMORY_DEFAULT). When it is spent,
 * received frames are dropped (counted in net_stats) and sends fail with
 * NET_E_NOMEM or would block, until memory is freed again.
 */
#ifndef NET_H
#define NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <argil/config.h>
#include <argil/entrypoint.h>

typedef enum net_err {
	NET_OK = 0,
	NET_E_AGAIN,         /* a non-blocking call would block */
	NET_E_TIMEOUT,       /* a blocking call's timeout passed */
	NET_E_REFUSED,       /* the peer refused the connection (RST on SYN) */
	NET_E_RESET,         /* the peer reset the connection */
	NET_E_ABORTED,       /* the connection was aborted here (out of memory, timeouts) */
	NET_E_CLOSED,        /* the connection is closed for this operation */
	NET_E_NOT_CONNECTED, /* not (yet) connected */
	NET_E_BAD_SOCKET,    /* no such socket (closed or never opened) */
	NET_E_WRONG_KIND,    /* a TCP call on a UDP socket or the reverse, accept on a non-listener */
	NET_E_NOMEM,         /* lwIP's memory budget or the heap is spent */
	NET_E_IN_USE,        /* the port is taken */
	NET_E_UNREACHABLE,   /* no route to the address */
	NET_E_INVALID,       /* a bad argument */
	NET_E_MSGSIZE,       /* a datagram larger than NET_UDP_MAX */
	NET_E_CONFIG,        /* the <net> config is malformed (logged with the reason) */
	NET_E_NO_TIMER,      /* no Timer session could be had */
	NET_E_NOT_FOUND,     /* a name did not resolve */
	NET_E_NOT_READY,     /* net_init was not called */
} net_err_t;

/* "NET_E_REFUSED" etc. */
const char *net_err_name(net_err_t e);

#define NET_IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
/* "a.b.c.d" (each 0..255, nothing else) to *ip; false if malformed */
bool net_ip_parse(const char *s, uint32_t *ip);
/* into buf of at least NET_IP_STR bytes; returns buf */
#define NET_IP_STR 16
char *net_ip_format(uint32_t ip, char *buf);

#define NET_MEMORY_DEFAULT (2u * 1024 * 1024)
#define NET_UDP_MAX 65507u   /* the largest UDP payload over IPv4 */

/* Start the component's stack once, on ep: opens a Timer session labelled
 * "net", takes the memory budget from net_node (its memory attribute; NULL:
 * the default). NET_E_NO_TIMER, NET_E_CONFIG, NET_E_INVALID if called twice. */
net_err_t net_init(struct entrypoint *ep, const struct cfg_node *net_node);
/* Change the memory budget (what is in use stays; new allocations must fit). */
void net_set_memory(size_t bytes);

struct net_stats {
	size_t mem_budget, mem_used, mem_peak;
	unsigned long mem_failures;   /* lwIP allocations refused (budget or heap) */
	unsigned long rx_frames, tx_frames;
	unsigned long rx_dropped;     /* received frames dropped: no memory for them */
	unsigned long udp_dropped;    /* datagrams dropped: a socket's receive queue was full */
};
void net_stats(struct net_stats *st);

/* ---- interfaces ---- */

struct net_link;
struct net_stack;

/* Open an interface over link (net_link.h) configured by net_node (see
 * above; dhcp="yes" or address + netmask, optional gateway and dns). The
 * first stack opened is the default route of sockets that are not bound
 * to one. NET_E_CONFIG (the reason logged), NET_E_NOMEM, NET_E_NOT_READY. */
net_err_t net_stack_open(struct net_stack **s, struct net_link *link, const struct cfg_node *net_node);
/* The interface's address, 0 while it has none (DHCP not yet bound). */
uint32_t net_stack_address(const struct net_stack *s);
/* Block until the interface has an address (DHCP); timeout_us 0: forever. */
net_err_t net_stack_wait_address(struct net_stack *s, uint64_t timeout_us);

/* ---- sockets ---- */

typedef int net_socket_t;     /* a handle; never 0 for an open socket */

enum net_flags { NET_NONBLOCK = 1 };

/* Events of a socket (net_events, the callback's argument). */
enum net_event {
	NET_EV_READABLE = 1,  /* data, a datagram, a connection to accept, or EOF */
	NET_EV_WRITABLE = 2,  /* connected and room to send */
	NET_EV_ERROR = 4,     /* an error is pending (net_socket_error) */
	NET_EV_HUP = 8,       /* the peer closed its side (EOF after the data) */
};

/* TCP: connect to ip:port from stack s. Blocking: returns once connected
 * (or refused, timed out: see net_socket_timeout). NET_NONBLOCK: returns at
 * once with the handle; NET_EV_WRITABLE when connected, NET_EV_ERROR if not. */
net_err_t net_tcp_connect(struct net_stack *s, uint32_t ip, uint16_t port, int flags,
			  net_socket_t *out);
/* TCP: listen on port of stack s with a backlog of connections. */
net_err_t net_tcp_listen(struct net_stack *s, uint16_t port, unsigned backlog, int flags,
			 net_socket_t *out);
/* Take one connection from a listener (blocking unless NET_NONBLOCK); the
 * new socket inherits the listener's flags. */
net_err_t net_tcp_accept(net_socket_t listener, net_socket_t *out);
/* Send len bytes: blocking sends all; non-blocking sends what fits now
 * (*sent, NET_E_AGAIN if nothing fits). sent may be NULL. */
net_err_t net_send(net_socket_t so, const void *buf, size_t len, size_t *sent);
/* Receive up to len bytes: blocking waits for at least one; *got 0 with
 * NET_OK is the end of the stream (the peer closed). */
net_err_t net_recv(net_socket_t so, void *buf, size_t len, size_t *got);

/* UDP: a socket on port of stack s (0: any free port). */
net_err_t net_udp_open(struct net_stack *s, uint16_t port, int flags, net_socket_t *out);
/* One datagram of len bytes (at most NET_UDP_MAX) to ip:port. */
net_err_t net_udp_sendto(net_socket_t so, uint32_t ip, uint16_t port, const void *buf, size_t len);
/* The next datagram: *got bytes of it (the rest of a longer one is
 * dropped; *size says how long it was), from *ip:*port (each may be NULL). */
net_err_t net_udp_recvfrom(net_socket_t so, void *buf, size_t len, size_t *got, size_t *size,
			   uint32_t *ip, uint16_t *port);

/* Close: a TCP connection is closed gracefully (RST if unread data is
 * left); the handle is invalid afterwards. NET_E_BAD_SOCKET for a bad one. */
net_err_t net_close(net_socket_t so);

/* The socket's local port (0 on a bad handle). */
uint16_t net_local_port(net_socket_t so);
/* A TCP connection's peer; NET_E_NOT_CONNECTED once the connection is gone. */
net_err_t net_peer(net_socket_t so, uint32_t *ip, uint16_t *port);
/* Current events (NET_EV_*; 0 on a bad handle). */
unsigned net_events(net_socket_t so);
/* The error pending on a socket (NET_OK if none); it stays. */
net_err_t net_socket_error(net_socket_t so);
/* Blocking calls on so give NET_E_TIMEOUT after us microseconds (0: never). */
net_err_t net_socket_timeout(net_socket_t so, uint64_t us);
net_err_t net_socket_nonblock(net_socket_t so, bool on);
/* fn(so, events, arg) is called on the entrypoint when the socket's events
 * change (after the stack ran, never inside lwIP); fn may call lib/net. */
typedef void (*net_socket_fn)(net_socket_t so, unsigned events, void *arg);
net_err_t net_socket_sigh(net_socket_t so, net_socket_fn fn, void *arg);

/* ---- running the stack ---- */

/* Run what is pending now: frames the links have, expired timers, then the
 * sockets' callbacks. Returns the number of frames taken in. */
unsigned net_poll(void);
/* Run what is pending; if nothing was, wait (on the entrypoint, other
 * signals are kept for later) for the next frame or timer, at most
 * timeout_us (0: no limit), and run it. NET_E_TIMEOUT if nothing came. */
net_err_t net_wait(uint64_t timeout_us);
/* Microseconds on the Timer session's clock. */
uint64_t net_now_us(void);

/* ---- echo (lib/net/echo.c): for tests and benches ---- */

/* Serve TCP echo on port of stack s, up to 8 connections at once, for
 * ever (returns only when it cannot listen, after an error line);
 * on_accept (may be NULL) sees each new connection. */
void net_echo_forever(struct net_stack *s, uint16_t port, void (*on_accept)(net_socket_t so));
/* Send n bytes of a pattern (seed) from out to an echo on so, in pieces,
 * reading the echo into in meanwhile: 0 when it came back equal, -1 a
 * send failed, -2 a receive (or the end of the stream), -3 it differed. */
int net_echo_exchange(net_socket_t so, uint8_t *out, uint8_t *in, size_t n, unsigned seed);

/* ---- names ---- */

/* Resolve name (or a dotted address) to *ip with the DNS server of the
 * config (or DHCP's); blocking, at most timeout_us (0: lwIP's retries). */
net_err_t net_resolve(const char *name, uint32_t *ip, uint64_t timeout_us);

#endif
