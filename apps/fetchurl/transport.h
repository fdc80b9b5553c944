/*
 * fetchurl's transport: a byte stream to host:port under HTTP. "http" is
 * a TCP connection of lib/net; a TLS transport for "https" fits the same
 * four operations (its connect does the handshake).
 */
#ifndef FETCHURL_TRANSPORT_H
#define FETCHURL_TRANSPORT_H

#include <net.h>

struct transport;

struct transport_ops {
	/* Connect to ip:port; blocking calls give NET_E_TIMEOUT after timeout_us. */
	net_err_t (*connect)(struct transport *t, uint32_t ip, uint16_t port, uint64_t timeout_us);
	net_err_t (*send)(struct transport *t, const void *buf, size_t len);
	/* *got 0 with NET_OK: the peer closed. */
	net_err_t (*recv)(struct transport *t, void *buf, size_t len, size_t *got);
	void (*close)(struct transport *t);
};

struct transport {
	const struct transport_ops *ops;
	struct net_stack *stack;
	net_socket_t so;
};

/* The transport of a URL scheme ("http"); NULL if there is none. */
const struct transport_ops *transport_for(const char *scheme, size_t len);

#endif
