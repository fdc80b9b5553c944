/*
 * Names: lwIP's DNS client, blocking on the entrypoint until the answer,
 * the failure or the timeout.
 */
#include <lwip/dns.h>
#include "net_private.h"

struct lookup {
	bool done, found;
	uint32_t ip;
};

static void on_found(const char *name, const ip_addr_t *addr, void *arg)
{
	struct lookup *l = arg;

	(void)name;
	l->done = true;
	if (addr) {
		l->found = true;
		l->ip = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(addr)));
	}
}

net_err_t net_resolve(const char *name, uint32_t *ip, uint64_t timeout_us)
{
	static struct lookup l;   /* lwIP may call back after a timeout: never on the stack */
	uint64_t deadline;
	ip_addr_t addr;
	err_t e;

	if (!net_core.ready)
		return NET_E_NOT_READY;
	if (!name || !*name || !ip)
		return NET_E_INVALID;
	if (net_ip_parse(name, ip))
		return NET_OK;
	l.done = l.found = false;
	e = dns_gethostbyname(name, &addr, on_found, &l);
	if (e == ERR_OK) {
		*ip = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(&addr)));
		return NET_OK;
	}
	if (e != ERR_INPROGRESS)
		return e == ERR_ARG ? NET_E_INVALID : net_err_from_lwip(e);
	net_poll();
	deadline = timeout_us ? net_core.now_us + timeout_us : 0;
	while (!l.done)
		if (net_block(deadline) == NET_E_TIMEOUT && !l.done)
			return NET_E_TIMEOUT;
	if (!l.found)
		return NET_E_NOT_FOUND;
	*ip = l.ip;
	return NET_OK;
}
