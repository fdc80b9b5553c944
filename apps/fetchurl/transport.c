/* fetchurl's transports (transport.h): plain TCP for "http". */
#include <argil/string.h>
#include "transport.h"

static net_err_t tcp_connect(struct transport *t, uint32_t ip, uint16_t port, uint64_t timeout_us)
{
	/* lib/net's blocking connect ends by itself (refused, lwIP's SYN
	 * retries); the timeout of the fetch is enforced on the calls after it. */
	net_err_t err = net_tcp_connect(t->stack, ip, port, 0, &t->so);

	if (err != NET_OK) {
		t->so = 0;
		return err;
	}
	return net_socket_timeout(t->so, timeout_us ? timeout_us : 1);
}

static net_err_t tcp_send(struct transport *t, const void *buf, size_t len)
{
	return net_send(t->so, buf, len, NULL);
}

static net_err_t tcp_recv(struct transport *t, void *buf, size_t len, size_t *got)
{
	return net_recv(t->so, buf, len, got);
}

static void tcp_close(struct transport *t)
{
	if (t->so)
		net_close(t->so);
	t->so = 0;
}

static const struct transport_ops tcp_ops = { tcp_connect, tcp_send, tcp_recv, tcp_close };

const struct transport_ops *transport_for(const char *scheme, size_t len)
{
	if (len == 4 && !memcmp(scheme, "http", 4))
		return &tcp_ops;
	return NULL;   /* "https": no TLS transport yet */
}
