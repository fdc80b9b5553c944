/*
 * ping (docs/network.md, "ping"): ICMP echo requests to each <ping> node's
 * address, count= of them (default 3), one per interval_ms= (default
 * 500), each waiting at most timeout_ms= (default 2000) for its reply:
 *
 *   <config>
 *     <net address="10.0.1.3" netmask="255.255.255.0" gateway="10.0.1.1"/>
 *     <ping address="10.0.2.2" count="3"/>
 *   </config>
 *
 * A reply logs "ping: 56 bytes from A: seq=N time=N us"; each target ends
 * with "ping: A: N sent, N received". At the end "ping: N answered,
 * N silent" (a target is answered when at least one reply came), exit 0
 * if every target answered. The requests go out through lwIP's raw API
 * (a raw PCB of protocol ICMP on the stack lib/net runs); lwIP answers
 * echo requests to this component by itself.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <net.h>
#include <net_nic.h>
#include "lwip/icmp.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"
#include "lwip/prot/icmp.h"
#include "lwip/raw.h"

#define PAYLOAD 56
#define ID 0xa221

static struct config_rom config;
static struct net_nic_link nic_link;
static struct net_stack *stack;
static uint32_t target;
static uint16_t want_seq;
static bool answered;

static u8_t on_icmp(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *from)
{
	struct icmp_echo_hdr h;
	u16_t hlen;

	(void)arg;
	(void)pcb;
	if (p->len < 1)
		return 0;
	hlen = (u16_t)((((const u8_t *)p->payload)[0] & 0x0f) * 4);   /* raw PCBs see the IP header */
	if (p->tot_len < hlen + sizeof(h) ||
	    pbuf_copy_partial(p, &h, sizeof(h), hlen) != sizeof(h))
		return 0;
	if (h.type != ICMP_ER || lwip_ntohs(h.id) != ID || lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(from))) != target)
		return 0;   /* not ours: lwIP goes on with it */
	if (lwip_ntohs(h.seqno) == want_seq)
		answered = true;
	pbuf_free(p);
	return 1;
}

static bool echo(struct raw_pcb *pcb, uint16_t seq)
{
	struct pbuf *p = pbuf_alloc(PBUF_IP, sizeof(struct icmp_echo_hdr) + PAYLOAD, PBUF_RAM);
	struct icmp_echo_hdr *h;
	ip_addr_t to;
	err_t e;

	if (!p)
		return false;
	h = p->payload;
	h->type = ICMP_ECHO;
	h->code = 0;
	h->chksum = 0;
	h->id = lwip_htons(ID);
	h->seqno = lwip_htons(seq);
	for (unsigned i = 0; i < PAYLOAD; i++)
		((u8_t *)(h + 1))[i] = (u8_t)i;
	h->chksum = inet_chksum(h, p->len);
	ip_addr_set_ip4_u32(&to, lwip_htonl(target));
	e = raw_sendto(pcb, p, &to);
	pbuf_free(p);
	return e == ERR_OK;
}

static bool ping(const struct cfg_node *n, struct raw_pcb *pcb)
{
	const char *a = cfg_attr(n, "address");
	uint64_t count, interval_ms, timeout_ms;
	unsigned sent = 0, received = 0;
	char text[16];

	if (!a || !net_ip_parse(a, &target) || cfg_attr_u64(n, "count", 3, &count) < 0 || !count ||
	    count > 65535 || cfg_attr_u64(n, "interval_ms", 500, &interval_ms) < 0 ||
	    cfg_attr_u64(n, "timeout_ms", 2000, &timeout_ms) < 0 || !timeout_ms) {
		printf("ping: config: <ping> (line %u) needs address=, count= 1..65535, timeout_ms= above 0\n",
		       n->line);
		return false;
	}
	net_ip_format(target, text);
	for (uint16_t seq = 1; seq <= count; seq++) {
		uint64_t start = net_now_us(), until = start + timeout_ms * 1000, next;

		want_seq = seq;
		answered = false;
		if (!echo(pcb, seq)) {
			printf("ping: %s: seq=%u not sent (no memory or no route)\n", text, seq);
		} else {
			sent++;
			while (!answered && net_now_us() < until)
				net_wait(until - net_now_us());
			if (answered) {
				received++;
				printf("ping: %u bytes from %s: seq=%u time=%llu us\n", PAYLOAD, text, seq,
				       (unsigned long long)(net_now_us() - start));
			} else {
				printf("ping: %s: seq=%u: no reply in %llu ms\n", text, seq,
				       (unsigned long long)timeout_ms);
			}
		}
		for (next = start + interval_ms * 1000; seq < count && net_now_us() < next;)
			net_wait(next - net_now_us());
	}
	printf("ping: %s: %u sent, %u received\n", text, sent, received);
	return received > 0;
}

void component_construct(struct component_env *env)
{
	const struct cfg_node *net_node;
	unsigned ok = 0, silent = 0;
	struct raw_pcb *pcb;
	net_err_t err;

	if (config_rom_open(&config, "config", 0, 0, 0) != RPC_OK || !config.node ||
	    !(net_node = cfg_child(config.node, "net"))) {
		printf("error: no config with a <net> node\n");
		component_exit(1);
	}
	err = net_init(&env->ep, net_node);
	if (err == NET_OK)
		err = net_nic_link_open(&nic_link, &env->ep, "");
	if (err == NET_OK)
		err = net_stack_open(&stack, &nic_link.link, net_node);
	if (err == NET_OK)
		err = net_stack_wait_address(stack, 30000000);
	if (err != NET_OK) {
		printf("error: no network: %s\n", net_err_name(err));
		component_exit(1);
	}
	pcb = raw_new(IP_PROTO_ICMP);
	if (!pcb) {
		printf("error: no raw PCB for ICMP\n");
		component_exit(1);
	}
	raw_recv(pcb, on_icmp, NULL);
	for (const struct cfg_node *n = cfg_child(config.node, "ping"); n; n = cfg_next(n, "ping")) {
		if (ping(n, pcb))
			ok++;
		else
			silent++;
	}
	raw_remove(pcb);
	printf("ping: %u answered, %u silent\n", ok, silent);
	component_exit(silent ? 1 : 0);
}
