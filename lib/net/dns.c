/*
 * Names: lwIP's DNS client, blocking on the entrypoint until the answer,
 * the failure or the timeout.
 */
#include <stdlib.h>
#include <lwip/dns.h>
#include "net_private.h"

struct lookup {
	bool done, found, abandoned;
	uint32_t ip;
};

/* lwIP calls back once per lookup, with the answer or NULL when its
 * retries ran out: a lookup given up by its caller is freed then. */
static void on_found(const char *name, const ip_addr_t *addr, void *arg)
{
	struct lookup *l = arg;

	(void)name;
	if (l->abandoned) {
		free(l);
		return;
	}
	l->done = true;
	if (addr) {
		l->found = true;
		l->ip = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(addr)));
	}
}

net_err_t net_resolve(const char *name, uint32_t *ip, uint64_t timeout_us)
{
	struct lookup *l;
	uint64_t deadline;
	ip_addr_t addr;
	net_err_t st;
	err_t e;

	if (!net_core.ready)
		return NET_E_NOT_READY;
	if (!name || !*name || !ip)
		return NET_E_INVALID;
	if (net_ip_parse(name, ip))
		return NET_OK;
	/* on the heap: lwIP may call back after our timeout */
	if (!(l = calloc(1, sizeof(*l))))
		return NET_E_NOMEM;
	e = dns_gethostbyname(name, &addr, on_found, l);
	if (e == ERR_OK) {
		*ip = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(&addr)));
		free(l);
		return NET_OK;
	}
	if (e != ERR_INPROGRESS) {
		free(l);
		return e == ERR_ARG ? NET_E_INVALID : net_err_from_lwip(e);
	}
	net_poll();
	deadline = timeout_us ? net_core.now_us + timeout_us : 0;
	while (!l->done) {
		if (net_block(deadline) == NET_E_TIMEOUT && !l->done) {
			l->abandoned = true;
			return NET_E_TIMEOUT;
		}
	}
	st = l->found ? NET_OK : NET_E_NOT_FOUND;
	if (l->found)
		*ip = l->ip;
	free(l);
	return st;
}
