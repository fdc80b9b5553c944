/*
 * Interfaces: a struct net_stack is one lwIP netif over a struct net_link,
 * addressed from a <net> config node (static or DHCP), with the DNS
 * server it names. Frames go out through the link's transmit and come in
 * through net_link_input. Trusts the link for nothing but the frames'
 * length: lwIP checks every header.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <lwip/dhcp.h>
#include <lwip/dns.h>
#include <lwip/etharp.h>
#include <netif/ethernet.h>
#include "net_private.h"

static void to_lwip(ip4_addr_t *a, uint32_t ip)
{
	ip4_addr_set_u32(a, lwip_htonl(ip));
}

/* lwIP's output to the link: the pbuf chain as one frame */
static err_t link_output(struct netif *nif, struct pbuf *p)
{
	struct net_stack *s = nif->state;
	static uint8_t frame[NET_FRAME_MAX];

	if (p->tot_len > NET_FRAME_MAX || !s->link->up)
		return ERR_IF;
	pbuf_copy_partial(p, frame, p->tot_len, 0);
	net_core.stats.tx_frames++;
	/* a full device queue loses the frame, like a wire: TCP retransmits */
	s->link->ops->transmit(s->link, frame, p->tot_len);
	return ERR_OK;
}

static err_t netif_setup(struct netif *nif)
{
	struct net_stack *s = nif->state;

	nif->name[0] = 'e';
	nif->name[1] = 'n';
	nif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(nif->hwaddr, s->link->mac, ETH_HWADDR_LEN);
	nif->mtu = s->link->mtu;
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	nif->output = etharp_output;
	nif->linkoutput = link_output;
	return ERR_OK;
}

/* A DHCP interface got, lost or changed its address: say so in the log. */
static void status_changed(struct netif *nif)
{
	char a[NET_IP_STR], m[NET_IP_STR], g[NET_IP_STR];

	if (!ip4_addr_get_u32(netif_ip4_addr(nif))) {
		printf("net: %c%c%u: no address (DHCP)\n", nif->name[0], nif->name[1], nif->num);
		return;
	}
	printf("net: %c%c%u: address %s netmask %s gateway %s (DHCP)\n", nif->name[0], nif->name[1],
	       nif->num, net_ip_format(lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(nif))), a),
	       net_ip_format(lwip_ntohl(ip4_addr_get_u32(netif_ip4_netmask(nif))), m),
	       net_ip_format(lwip_ntohl(ip4_addr_get_u32(netif_ip4_gw(nif))), g));
}

void net_link_input(struct net_link *l, const void *frame, size_t len)
{
	struct net_stack *s = l->stack;
	struct pbuf *p;

	if (!s || len < SIZEOF_ETH_HDR || len > NET_FRAME_MAX)
		return;
	net_core.stats.rx_frames++;
	if (!(p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL))) {
		net_core.stats.rx_dropped++;
		return;
	}
	pbuf_take(p, frame, (u16_t)len);
	if (s->netif.input(p, &s->netif) != ERR_OK)
		pbuf_free(p);
}

void net_link_set_up(struct net_link *l, bool up)
{
	l->up = up;
	if (!l->stack)
		return;
	if (up)
		netif_set_link_up(&l->stack->netif);
	else
		netif_set_link_down(&l->stack->netif);
}

/* An address attribute of <net>: 0 absent, 1 parsed, -1 malformed (logged). */
static int config_ip(const struct cfg_node *n, const char *attr, uint32_t *ip)
{
	const char *v = cfg_attr(n, attr);

	if (!v)
		return 0;
	if (net_ip_parse(v, ip))
		return 1;
	printf("net: config: %s=\"%s\" is no IPv4 address (a.b.c.d)\n", attr, v);
	return -1;
}

net_err_t net_stack_open(struct net_stack **out, struct net_link *link, const struct cfg_node *n)
{
	uint32_t addr = 0, mask = 0, gw = 0, dns = 0;
	ip4_addr_t a, m, g;
	bool dhcp = false;
	int has_addr, has_mask, has_gw, has_dns;
	struct net_stack *s;

	if (!net_core.ready)
		return NET_E_NOT_READY;
	if (!out || !link || !link->ops || link->stack || link->mtu < 576 || link->mtu > 1500)
		return NET_E_INVALID;
	if (!n || !cfg_is(n, "net")) {
		printf("net: config: no <net> node\n");
		return NET_E_CONFIG;
	}
	if (cfg_attr_bool(n, "dhcp", false, &dhcp) < 0) {
		printf("net: config: dhcp=\"%s\" is not yes or no\n", cfg_attr(n, "dhcp"));
		return NET_E_CONFIG;
	}
	has_addr = config_ip(n, "address", &addr);
	has_mask = config_ip(n, "netmask", &mask);
	has_gw = config_ip(n, "gateway", &gw);
	has_dns = config_ip(n, "dns", &dns);
	if (has_addr < 0 || has_mask < 0 || has_gw < 0 || has_dns < 0)
		return NET_E_CONFIG;
	if (dhcp && (has_addr || has_mask || has_gw)) {
		printf("net: config: dhcp=\"yes\" and a static address, netmask or gateway\n");
		return NET_E_CONFIG;
	}
	if (!dhcp && (!has_addr || !has_mask)) {
		printf("net: config: neither dhcp=\"yes\" nor address and netmask\n");
		return NET_E_CONFIG;
	}
	if (has_mask && (~mask & (~mask + 1))) {
		printf("net: config: netmask=\"%s\" is not contiguous\n", cfg_attr(n, "netmask"));
		return NET_E_CONFIG;
	}
	if (!(s = calloc(1, sizeof(*s))))
		return NET_E_NOMEM;
	s->link = link;
	s->dhcp = dhcp;
	to_lwip(&a, addr);
	to_lwip(&m, mask);
	to_lwip(&g, gw);
	if (!netif_add(&s->netif, &a, &m, &g, s, netif_setup, ethernet_input)) {
		free(s);
		return NET_E_NOMEM;
	}
	link->stack = s;
	if (!net_core.stacks)
		netif_set_default(&s->netif);
	s->next = net_core.stacks;
	net_core.stacks = s;
	netif_set_up(&s->netif);
	if (link->up)
		netif_set_link_up(&s->netif);
	if (has_dns) {
		ip_addr_t d;
		ip_addr_set_ip4_u32(&d, lwip_htonl(dns));
		dns_setserver(0, &d);
	}
	if (dhcp)
		netif_set_status_callback(&s->netif, status_changed);
	if (dhcp && dhcp_start(&s->netif) != ERR_OK) {
		printf("net: DHCP could not start (out of memory)\n");
		return NET_E_NOMEM;
	}
	*out = s;
	return NET_OK;
}

uint32_t net_stack_address(const struct net_stack *s)
{
	return s ? lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(&s->netif))) : 0;
}

net_err_t net_stack_wait_address(struct net_stack *s, uint64_t timeout_us)
{
	uint64_t deadline;

	if (!s)
		return NET_E_INVALID;
	net_poll();
	deadline = timeout_us ? net_core.now_us + timeout_us : 0;
	while (!net_stack_address(s))
		if (net_block(deadline) == NET_E_TIMEOUT && !net_stack_address(s))
			return NET_E_TIMEOUT;
	return NET_OK;
}
