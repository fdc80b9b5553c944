/*
 * lib/net's link over a Nic session (net_nic.h).
 */
#include <argil/printf.h>
#include <argil/string.h>
#include <net_nic.h>

static net_err_t nic_transmit(struct net_link *l, const void *frame, size_t len)
{
	struct net_nic_link *n = (struct net_nic_link *)l;
	ps_error_t e;

	if (len < NIC_FRAME_MIN || len > NIC_FRAME_MAX)
		return NET_E_INVALID;
	e = nic_send(&n->nic, frame, len);
	if (e == PS_OK)
		return NET_OK;
	return e == PS_E_INVALID ? NET_E_INVALID : NET_E_AGAIN;
}

/* A received frame where it lies in the stream: net_link_input copies it
 * into a pbuf before lwIP looks at it. */
static void input(void *arg, const void *frame, size_t len)
{
	net_link_input(arg, frame, len);
}

static unsigned nic_poll(struct net_link *l)
{
	struct net_nic_link *n = (struct net_nic_link *)l;
	unsigned count = 0;

	nic_reclaim(&n->nic);
	while (nic_recv_in_place(&n->nic, input, l) != 0)
		count++;
	return count;
}

static const struct net_link_ops nic_ops = { nic_transmit, nic_poll };

static void on_link(void *arg)
{
	struct net_nic_link *n = arg;

	if (nic_link_update(&n->nic)) {
		memcpy(n->link.mac, n->nic.mac, 6);
		net_link_set_up(&n->link, n->nic.link);
	}
	net_link_wakeup(&n->link);
}

net_err_t net_nic_link_open(struct net_nic_link *n, struct entrypoint *ep, const char *label)
{
	rpc_status_t st;
	cptr_t sigh = net_link_signal_cap();

	memset(n, 0, sizeof(*n));
	n->ep = ep;
	n->link_sig.bit = -1;
	/* the streams signal lib/net's own notification: blocking calls wake */
	if (!sigh)
		return NET_E_NOT_READY;
	if (signal_handler_init(ep, &n->link_sig, on_link, n) != RPC_OK)
		return NET_E_NOMEM;
	st = nic_connect(&n->nic, label, 0, 0, 0, sigh, n->link_sig.cap);
	if (st != RPC_OK) {
		printf("net: no Nic session (%s)\n", rpc_status_name(st));
		signal_handler_fini(ep, &n->link_sig);
		return NET_E_UNREACHABLE;
	}
	n->link.ops = &nic_ops;
	memcpy(n->link.mac, n->nic.mac, 6);
	n->link.mtu = n->nic.mtu;
	n->link.up = n->nic.link;
	return NET_OK;
}

void net_nic_link_close(struct net_nic_link *n)
{
	nic_disconnect(&n->nic);
	signal_handler_fini(n->ep, &n->link_sig);
	n->link.ops = 0;
}
