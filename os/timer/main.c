/*
 * The timer service: Timer sessions (timer_session.h) for any number of
 * clients, one timeout each, over one hardware timer (device.h). One
 * thread: the main entrypoint serves the sessions and the interrupt.
 *
 * Trusts its parent (which routes and pays the sessions it creates) and
 * core; clients are trusted for nothing: their signal capability must be a
 * notification (a send to it never blocks), their durations saturate, and
 * a session costs the donation it was made from.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/io.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/session_server.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <timer_session.h>
#include <arch/syscall.h>
#include "device.h"
#include "timeout.h"

/* What a session costs the timer: its record on the heap (rounded up
 * generously for the heap's headers) and two slots (the session object's
 * capability, the client's signal capability). */
#define SESSION_RAM 512
#define SESSION_CAPS 2
/* after this many rounds of expiries in one go, interrupts are spaced */
#define MAX_ROUNDS 8
#define MIN_SPACING_US 50

struct session {
	struct server_session ss;    /* label, donation, id, RPC object */
	struct timeout to;
	cptr_t sigh;
	uint64_t expiries;
};

static struct component_env *env;
static struct device dev;
static struct timeout_queue queue;
static struct signal_handler irq_sig;
static bool verbose;
static uint64_t irqs;

/* ---- expiry ---- */

static struct session *session_of(struct timeout *t)
{
	return (struct session *)((char *)t - __builtin_offsetof(struct session, to));
}

/* Signal everything that is due and ask the device for the next
 * interrupt. Runs after every change and every interrupt. */
static void schedule(void)
{
	for (int round = 0;; round++) {
		uint64_t now = dev.now(&dev), next;
		struct timeout *t;

		while ((t = tq_expire(&queue, now))) {
			struct session *s = session_of(t);
			s->expiries += 1 + t->overruns;
			if (s->sigh)
				sys_signal(s->sigh);
		}
		if (!tq_next(&queue, &next)) {
			dev.disarm(&dev);
			return;
		}
		/* a flood of short periods must not keep us from serving */
		if (round >= MAX_ROUNDS && next < now + MIN_SPACING_US)
			next = now + MIN_SPACING_US;
		if (dev.arm(&dev, next))
			return;
	}
}

static void irq_handler(void *arg)
{
	(void)arg;
	irqs++;
	/* unmask first: an edge while we work must not be lost; a spurious
	 * one costs one more look at the queue */
	irq_ack(dev.irq.cap);
	schedule();
}

/* ---- sessions ---- */

static rpc_status_t do_sigh(struct timer_sigh_call *c)
{
	struct session *s = c->obj;

	return rpc_take_sigh(c->in.ntfn, &s->sigh, true);
}

static rpc_status_t trigger(struct session *s, uint64_t us, bool periodic)
{
	if (periodic && us < TIMER_MIN_PERIOD_US)
		return RPC_E_INVALID_ARGUMENT;
	tq_schedule(&queue, &s->to, dev.now(&dev), us, periodic);
	schedule();
	return RPC_OK;
}

static rpc_status_t do_trigger_once(struct timer_trigger_once_call *c)
{
	return trigger(c->obj, c->in.us, false);
}

static rpc_status_t do_trigger_periodic(struct timer_trigger_periodic_call *c)
{
	return trigger(c->obj, c->in.us, true);
}

static rpc_status_t do_stop(struct timer_stop_call *c)
{
	struct session *s = c->obj;

	tq_cancel(&queue, &s->to);
	schedule();
	return RPC_OK;
}

static rpc_status_t do_elapsed(struct timer_elapsed_call *c)
{
	struct session *s = c->obj;

	c->out.us = dev.now(&dev);
	c->out.expiries = s->expiries;
	return RPC_OK;
}

RPC_SERVER(timer, TIMER_RPC)

static const struct timer_server timer_ops = {
	.timer_sigh = do_sigh,
	.timer_trigger_once = do_trigger_once,
	.timer_trigger_periodic = do_trigger_periodic,
	.timer_stop = do_stop,
	.timer_elapsed = do_elapsed,
};

static void session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	timer_dispatch(&timer_ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static rpc_status_t create(struct session_server *srv, struct server_session *ss,
			   const char *args)
{
	(void)srv;
	(void)args;
	if (verbose)
		log("session %lu for \"%s\"", ss->id, ss->label);
	return RPC_OK;
}

static void destroy(struct session_server *srv, struct server_session *ss)
{
	struct session *s = (struct session *)ss;

	(void)srv;
	tq_cancel(&queue, &s->to);
	cap_slot_free(s->sigh);
	if (verbose)
		log("closed session %lu for \"%s\"", ss->id, ss->label);
	schedule();
}

static struct session_server server = {
	.service = TIMER_SERVICE,
	.size = sizeof(struct session),
	.ram = SESSION_RAM,
	.caps = SESSION_CAPS,
	.create = create,
	.destroy = destroy,
	.rpc = session_rpc,
};

/* ---- start ---- */

enum source { SRC_AUTO, SRC_HPET, SRC_PIT };

static bool hpet_base_configured;

static bool read_config(enum source *src, uint64_t *hpet_base)
{
	struct config_rom cfg;
	const struct cfg_node *n;
	const char *v;

	*src = SRC_AUTO;
	*hpet_base = HPET_DEFAULT_BASE;
	if (config_rom_open(&cfg, "config", 0, 0, 0) != RPC_OK)
		return true;   /* no config: the defaults */
	n = cfg.node;
	if (!n) {
		if (cfg.err.msg)
			log("config:%u:%u: %s", cfg.err.line, cfg.err.col, cfg.err.msg);
		config_rom_close(&cfg, 0);
		return !cfg.err.msg && !cfg.heap_failed;
	}
	bool ok = cfg_is(n, "config");
	if (!ok)
		log("config:%u:%u: expected <config>", n->line, n->col);
	for (const struct cfg_attr *a = n->attrs; ok && a; a = a->next) {
		if (strcmp(a->name, "source") && strcmp(a->name, "hpet_base") &&
		    strcmp(a->name, "verbose")) {
			log("config:%u:%u: unknown attribute '%s'", n->line, n->col, a->name);
			ok = false;
		}
	}
	if (ok && (v = cfg_attr(n, "source"))) {
		if (!strcmp(v, "hpet"))
			*src = SRC_HPET;
		else if (!strcmp(v, "pit"))
			*src = SRC_PIT;
		else if (strcmp(v, "auto")) {
			log("config:%u:%u: source must be auto, hpet or pit", n->line, n->col);
			ok = false;
		}
	}
	hpet_base_configured = ok && cfg_has_attr(n, "hpet_base");
	if (ok && (cfg_attr_u64(n, "hpet_base", HPET_DEFAULT_BASE, hpet_base) < 0 ||
		   (*hpet_base & 0xfff))) {
		log("config:%u:%u: hpet_base must be a page-aligned address", n->line, n->col);
		ok = false;
	}
	if (ok && cfg_attr_bool(n, "verbose", false, &verbose) < 0) {
		log("config:%u:%u: verbose must be yes or no", n->line, n->col);
		ok = false;
	}
	config_rom_close(&cfg, 0);
	return ok;
}

/* The HPET's address from core's ROM "platform_info" (the ACPI HPET
 * table, as the kernel found it), if it names one; else *hpet_base stays.
 * The registers are checked before they are believed either way. */
static void platform_hpet(uint64_t *hpet_base)
{
	struct config_rom pi;
	const struct cfg_node *h;
	uint64_t base;

	if (config_rom_open(&pi, "platform_info", 0, 0, 0) != RPC_OK)
		return;
	if (pi.node && cfg_is(pi.node, "platform_info") && (h = cfg_child(pi.node, "hpet"))) {
		if (cfg_attr_u64(h, "base", 0, &base) > 0 && base && !(base & 0xfff))
			*hpet_base = base;
		else
			log("platform_info: bad <hpet base>, using 0x%lx", (unsigned long)*hpet_base);
	}
	config_rom_close(&pi, 0);
}

void component_construct(struct component_env *e)
{
	enum source src;
	uint64_t hpet_base;
	rpc_status_t st = RPC_E_UNAVAILABLE;

	env = e;
	tq_init(&queue);
	if (!read_config(&src, &hpet_base)) {
		log("error: bad config, not starting");
		component_exit(1);
	}
	if (!hpet_base_configured)
		platform_hpet(&hpet_base);
	if (src != SRC_PIT) {
		st = hpet_init(&dev, hpet_base);
		if (st != RPC_OK)
			log("%s%s", dev.info, src == SRC_AUTO ? ", trying the PIT" : "");
	}
	if (st != RPC_OK && src != SRC_HPET) {
		st = pit_init(&dev, hpet_base);
		if (st != RPC_OK)
			log("%s", dev.info);
	}
	if (st != RPC_OK) {
		log("error: no timer device");
		component_exit(2);
	}
	log("using %s", dev.info);

	st = signal_handler_init(&env->ep, &irq_sig, irq_handler, 0);
	if (st == RPC_OK)
		st = irq_sigh(dev.irq.cap, irq_sig.cap);
	server.ep = &env->ep;
	if (st == RPC_OK)
		st = session_server_announce(&server);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(3);
	}
}
