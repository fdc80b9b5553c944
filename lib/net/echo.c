/*
 * An echo service and its check (net.h, "echo"): for the test and bench
 * components of the network stack and the router.
 */
#include <argil/printf.h>
#include <argil/string.h>
#include <net.h>

#define ECHO_CONNS 8

void net_echo_forever(struct net_stack *s, uint16_t port, void (*on_accept)(net_socket_t so))
{
	static struct { net_socket_t so; uint8_t buf[4096]; size_t len, off; } c[ECHO_CONNS];
	net_socket_t l;

	if (net_tcp_listen(s, port, 4, NET_NONBLOCK, &l) != NET_OK) {
		printf("error: echo: cannot listen on %u\n", (unsigned)port);
		return;
	}
	printf("echo: listening on %u\n", (unsigned)port);
	for (;;) {
		bool moved = false;
		net_socket_t so;

		while (net_tcp_accept(l, &so) == NET_OK) {
			int i;
			for (i = 0; i < ECHO_CONNS && c[i].so; i++)
				;
			if (i == ECHO_CONNS) {
				net_close(so);
				continue;
			}
			net_socket_nonblock(so, true);
			if (on_accept)
				on_accept(so);
			c[i].so = so;
			c[i].len = c[i].off = 0;
			moved = true;
		}
		for (int i = 0; i < ECHO_CONNS; i++) {
			size_t n = 0;
			net_err_t e;
			if (!c[i].so)
				continue;
			if (c[i].off == c[i].len) {
				e = net_recv(c[i].so, c[i].buf, sizeof(c[i].buf), &n);
				if (e == NET_E_AGAIN)
					continue;
				if (e != NET_OK || !n) {
					net_close(c[i].so);
					c[i].so = 0;
					continue;
				}
				c[i].len = n;
				c[i].off = 0;
				moved = true;
			}
			e = net_send(c[i].so, c[i].buf + c[i].off, c[i].len - c[i].off, &n);
			if (e == NET_OK) {
				c[i].off += n;
				moved = moved || n;
			} else if (e != NET_E_AGAIN) {
				net_close(c[i].so);
				c[i].so = 0;
			}
		}
		if (!moved)
			net_wait(100 * 1000);
	}
}

int net_echo_exchange(net_socket_t so, uint8_t *out, uint8_t *in, size_t n, unsigned seed)
{
	size_t done = 0, got;

	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(i * 7 + seed + (i >> 9));
	/* in pieces: the echo answers while we send */
	for (size_t off = 0; off < n;) {
		size_t piece = n - off < 8192 ? n - off : 8192;
		if (net_send(so, out + off, piece, 0) != NET_OK)
			return -1;
		off += piece;
		while (done < off) {
			if (net_recv(so, in + done, n - done, &got) != NET_OK || !got)
				return -2;
			done += got;
		}
	}
	return memcmp(in, out, n) ? -3 : 0;
}
