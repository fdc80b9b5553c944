/*
 * The component's lwIP: set-up, lwIP's memory budget, the clock and timers
 * (Timer session), running the stack on the entrypoint (net_poll, net_wait,
 * the blocking wait of every blocking call) and what the lwIP port asks of
 * its platform (ports/lwip/include/arch/cc.h). Trusts lwIP and the links
 * given to it; the Timer session only for its clock.
 *
 * One signal handler on the entrypoint stands for all of lib/net: the
 * Timer session's timeouts and every link's wake-ups arrive on it. A
 * blocking call waits for that signal only (ep_wait_signal: other signals
 * of the component are kept for later) and runs the stack; outside of
 * blocking calls the signal runs the stack from the entrypoint.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <argil/component.h>
#include <stdio.h>
#include <timer_session.h>
#include <arch/syscall.h>
#include <lwip/init.h>
#include <lwip/timeouts.h>
#include "net_private.h"

struct net_core net_core;

static struct timer_connection timer;
static struct signal_handler net_sig;
static uint64_t armed_us;            /* the deadline the timer is armed for, 0: none */
static uint64_t rand_state;

/* ---- the clock ---- */

uint64_t net_now_us(void)
{
	if (net_core.ready) {
		uint64_t t = elapsed_us(&timer);
		if (t > net_core.now_us)
			net_core.now_us = t;
	}
	return net_core.now_us;
}

/* Read the Timer session's clock (an RPC) only when the TSC says that
 * time may have moved by a millisecond: CLOCK_TICKS is less than 1 ms on
 * any x86_64 TSC, so lwIP's clock is at most that stale, and a stack that
 * runs often (a busy connection) does not pay an RPC for each run. */
#define CLOCK_TICKS 1000000ull
static uint64_t clock_tsc;

static void clock_refresh(void)
{
	uint64_t t = rdtsc();

	if (clock_tsc && t - clock_tsc < CLOCK_TICKS)
		return;
	clock_tsc = t;
	net_now_us();
}

/* lwIP's clock in milliseconds: the Timer session's, as read by the
 * latest run of the stack (lwIP reads it many times in one run). */
u32_t sys_now(void)
{
	return (u32_t)(net_core.now_us / 1000);
}

/* ---- lwIP's memory: the component's heap within a budget ---- */

#define MEM_HDR 16   /* keeps the heap's 16-byte alignment (MEM_ALIGNMENT) */

/*
 * Blocks lwIP gave back, kept for its next allocation of the same size
 * class. lwIP allocates a few sizes over and over (a pool pbuf for every
 * received frame, a segment and a pbuf for every one sent), and the
 * component's heap searches its chunks and their free lists on each
 * malloc and free: with a file system in the same heap (fetchurl's ram
 * file system: thousands of 4 KiB pages) that cost more than the TCP
 * segment itself. Sizes up to CACHE_MAX are rounded up to CACHE_ROUND so
 * that a class takes the neighbouring sizes too. The cached bytes count
 * against the budget like those in use: when the budget would refuse an
 * allocation, the cache goes back to the heap first.
 */
#define CACHE_CLASSES 6
#define CACHE_DEPTH 64
#define CACHE_ROUND 64
#define CACHE_MAX 2048

static struct mem_class {
	size_t need;             /* 0: a free class */
	unsigned n;
	void *blk[CACHE_DEPTH];
} mem_cache[CACHE_CLASSES];
static size_t mem_cached;    /* bytes in mem_cache */

static struct mem_class *cache_class(size_t need, bool claim)
{
	struct mem_class *empty = 0;

	for (unsigned i = 0; i < CACHE_CLASSES; i++) {
		struct mem_class *c = &mem_cache[i];
		if (c->need == need)
			return c;
		if (!c->n && !empty)
			empty = c;
	}
	if (claim && empty)
		empty->need = need;
	return claim ? empty : 0;
}

static void cache_drain(void)
{
	for (unsigned i = 0; i < CACHE_CLASSES; i++) {
		struct mem_class *c = &mem_cache[i];
		while (c->n)
			free(c->blk[--c->n]);
		c->need = 0;
	}
	mem_cached = 0;
}

void *argil_lwip_malloc(size_t size)
{
	struct net_stats *st = &net_core.stats;
	size_t need = size + MEM_HDR;
	struct mem_class *c = 0;
	char *p = 0;

	if (need < size)
		goto refused;
	if (need <= CACHE_MAX)
		need = (need + CACHE_ROUND - 1) & ~(size_t)(CACHE_ROUND - 1);
	if (st->mem_used + mem_cached + need > st->mem_budget)
		cache_drain();
	if (st->mem_used + need > st->mem_budget)
		goto refused;
	if (need <= CACHE_MAX && (c = cache_class(need, false)) && c->n) {
		p = c->blk[--c->n];
		mem_cached -= need;
	} else if (!(p = malloc(need))) {
		goto refused;
	}
	*(size_t *)p = need;
	st->mem_used += need;
	if (st->mem_used > st->mem_peak)
		st->mem_peak = st->mem_used;
	return p + MEM_HDR;
refused:
	st->mem_failures++;
	return NULL;
}

void *argil_lwip_calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > (size_t)-1 / size) {
		net_core.stats.mem_failures++;
		return NULL;
	}
	if ((p = argil_lwip_malloc(n * size)))
		memset(p, 0, n * size);
	return p;
}

void argil_lwip_free(void *p)
{
	struct mem_class *c;
	size_t need;
	char *h;

	if (!p)
		return;
	h = (char *)p - MEM_HDR;
	need = *(size_t *)h;
	net_core.stats.mem_used -= need;
	if (need <= CACHE_MAX && (c = cache_class(need, true)) && c->n < CACHE_DEPTH &&
	    net_core.stats.mem_used + mem_cached + need <= net_core.stats.mem_budget) {
		c->blk[c->n++] = h;
		mem_cached += need;
		return;
	}
	free(h);
}

void net_set_memory(size_t bytes)
{
	net_core.stats.mem_budget = bytes;
	cache_drain();
}

void net_stats(struct net_stats *st)
{
	*st = net_core.stats;
}

/* ---- what else the port asks ---- */

void argil_lwip_diag(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("net: lwIP: %s\n", buf);
}

void argil_lwip_assert(const char *msg, const char *file, int line)
{
	printf("net: lwIP assertion failed: %s (%s:%d)\n", msg, file, line);
	component_exit(134);
}

/* Not for cryptography: TCP's initial sequence numbers, local ports, DNS
 * and DHCP transaction IDs (xorshift64*, seeded from the TSC). */
uint32_t argil_lwip_rand(void)
{
	if (!rand_state)
		rand_state = rdtsc() | 1;
	rand_state ^= rand_state >> 12;
	rand_state ^= rand_state << 25;
	rand_state ^= rand_state >> 27;
	return (uint32_t)((rand_state * 0x2545f4914f6cdd1dull) >> 32);
}

net_err_t net_err_from_lwip(err_t e)
{
	switch (e) {
	case ERR_OK: return NET_OK;
	case ERR_MEM: case ERR_BUF: return NET_E_NOMEM;
	case ERR_TIMEOUT: return NET_E_TIMEOUT;
	case ERR_RTE: return NET_E_UNREACHABLE;
	case ERR_WOULDBLOCK: case ERR_INPROGRESS: return NET_E_AGAIN;
	case ERR_USE: case ERR_ALREADY: case ERR_ISCONN: return NET_E_IN_USE;
	case ERR_CONN: return NET_E_NOT_CONNECTED;
	case ERR_ABRT: return NET_E_ABORTED;
	case ERR_RST: return NET_E_RESET;
	case ERR_CLSD: return NET_E_CLOSED;
	case ERR_VAL: case ERR_ARG: return NET_E_INVALID;
	default: return NET_E_ABORTED;
	}
}

const char *net_err_name(net_err_t e)
{
	static const char *const names[] = {
		"NET_OK", "NET_E_AGAIN", "NET_E_TIMEOUT", "NET_E_REFUSED", "NET_E_RESET",
		"NET_E_ABORTED", "NET_E_CLOSED", "NET_E_NOT_CONNECTED", "NET_E_BAD_SOCKET",
		"NET_E_WRONG_KIND", "NET_E_NOMEM", "NET_E_IN_USE", "NET_E_UNREACHABLE",
		"NET_E_INVALID", "NET_E_MSGSIZE", "NET_E_CONFIG", "NET_E_NO_TIMER",
		"NET_E_NOT_FOUND", "NET_E_NOT_READY",
	};
	return (unsigned)e < sizeof(names) / sizeof(names[0]) ? names[e] : "NET_E_?";
}

/* ---- running the stack ---- */

/* Arm the Timer session for lwIP's next timeout, or for deadline_us if
 * that comes first (0: none). */
static void arm_timer(uint64_t deadline_us)
{
	u32_t ms = sys_timeouts_sleeptime();
	uint64_t at = ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE ? 0 : net_core.now_us + ms * 1000ull;

	if (deadline_us && (!at || deadline_us < at))
		at = deadline_us;
	if (!at || at == armed_us)
		return;
	if (armed_us && armed_us < at && armed_us > net_core.now_us)
		return;   /* an earlier expiry is pending: it wakes us in time to re-arm */
	armed_us = at;
	timer_trigger_once(timer.session, at > net_core.now_us ? at - net_core.now_us : 0);
}

unsigned net_poll(void)
{
	unsigned frames = 0, n;
	int rounds = 0;

	if (!net_core.ready)
		return 0;
	clock_refresh();
	if (armed_us && armed_us <= net_core.now_us)
		armed_us = 0;
	do {
		n = 0;
		for (struct net_stack *s = net_core.stacks; s; s = s->next)
			n += s->link->ops->poll(s->link);
		netif_poll_all();    /* packets to one of our own addresses */
		frames += n;
	} while (n && ++rounds < 64);
	sys_check_timeouts();
	net_sock_dispatch();
	return frames;
}

net_err_t net_block(uint64_t deadline_us)
{
	arm_timer(deadline_us);
	ep_wait_signal(net_core.ep, &net_sig);
	net_poll();
	return deadline_us && net_core.now_us >= deadline_us ? NET_E_TIMEOUT : NET_OK;
}

uint64_t net_deadline(const struct net_socket *so)
{
	return so->timeout_us ? net_now_us() + so->timeout_us : 0;
}

net_err_t net_wait(uint64_t timeout_us)
{
	uint64_t deadline;

	if (!net_core.ready)
		return NET_E_NOT_READY;
	if (net_poll())
		return NET_OK;
	deadline = timeout_us ? net_core.now_us + timeout_us : 0;
	return net_block(deadline);
}

/* The signal outside of blocking calls: run the stack and re-arm. */
static void net_signal(void *arg)
{
	(void)arg;
	net_poll();
	arm_timer(0);
}

cptr_t net_link_signal_cap(void)
{
	return net_core.ready ? net_sig.cap : 0;
}

void net_link_wakeup(struct net_link *l)
{
	(void)l;
	if (net_core.ready)
		signal_submit(net_sig.cap);
}

net_err_t net_init(struct entrypoint *ep, const struct cfg_node *net_node)
{
	uint64_t memory = NET_MEMORY_DEFAULT;

	if (net_core.ready)
		return NET_E_INVALID;
	if (net_node && cfg_attr_size(net_node, "memory", NET_MEMORY_DEFAULT, &memory) < 0) {
		printf("net: config: memory=\"%s\" is no size\n", cfg_attr(net_node, "memory"));
		return NET_E_CONFIG;
	}
	if (timer_connect(&timer, "net") != RPC_OK) {
		printf("net: no Timer session: lib/net needs one for lwIP's timers\n");
		return NET_E_NO_TIMER;
	}
	if (signal_handler_init(ep, &net_sig, net_signal, NULL) != RPC_OK ||
	    timer_connection_sigh(&timer, net_sig.cap) != RPC_OK) {
		timer_disconnect(&timer);
		printf("net: no signal handler for the stack\n");
		return NET_E_NOMEM;
	}
	net_core.ep = ep;
	net_core.stats.mem_budget = memory;
	net_core.ready = true;
	net_now_us();
	lwip_init();
	return NET_OK;
}
