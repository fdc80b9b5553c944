/*
 * A child's quota while it runs: raising it (PD_TRANSFER init -> child),
 * lowering it (withdraw what the child has not spent, ask it to yield the
 * rest: PARENT_YIELD_SIGH / _REQUEST / _RESPONSE, and withdraw again on
 * each response), and the starts and upgrades that wait for quota a
 * yielding child still owes. init lends each child its quota out of the
 * budget fixed at start; what a start or upgrade needs is compared with
 * what is not lent. A child's word on what it freed is not trusted: init
 * looks at the child's account (PD_QUOTA) before every withdrawal.
 */
#include "runtime.h"

#include <argil/printf.h>

static word_t min_w(word_t a, word_t b)
{
	return a < b ? a : b;
}

static void lent(word_t *ram, word_t *caps)
{
	*ram = *caps = 0;
	for (struct rt_child *ch = rt.children; ch; ch = ch->next) {
		if (ch->state != RT_RUNNING)
			continue;
		*ram += ch->ram_lent;
		*caps += ch->caps_lent;
	}
}

static bool owed_any(void)
{
	for (struct rt_child *ch = rt.children; ch; ch = ch->next)
		if (ch->state == RT_RUNNING && (ch->owed_ram || ch->owed_caps))
			return true;
	return false;
}

/* Whether ram/caps do not fit in what is not lent while some child still
 * owes quota; with nothing to come back, go ahead (and fail if need be). */
static bool short_of(word_t ram, word_t caps)
{
	word_t lr, lc;

	if (!owed_any())
		return false;
	lent(&lr, &lc);
	return lr + ram > rt.budget.ram || lc + caps > rt.budget.caps;
}

/* Whether a start or upgrade must wait: it does not fit, or others wait
 * before it (the order of the plan is kept). */
static bool must_wait(word_t ram, word_t caps)
{
	return (rt.held && owed_any()) || short_of(ram, caps);
}

static void hold(enum init_action_kind kind, const char *name, word_t amount)
{
	const char *what = kind == INIT_ACT_START ? "start" : "upgrade";
	struct rt_held *h = rt_alloc(sizeof(*h), what, name);

	if (!h) {
		log("%s of '%s' dropped: init's heap is exhausted", what, name);
		return;
	}
	h->kind = kind;
	h->amount = amount;
	snprintf(h->name, sizeof(h->name), "%s", name);
	RT_APPEND(rt.held, h);
	log("%s of '%s' waits for quota that a child has to yield", what, name);
}

static void upgrade(struct rt_child *ch, word_t ram, word_t caps)
{
	rpc_status_t st = pd_transfer(rt.env->pd, ch->c.pd, ram, caps);

	if (st != RPC_OK) {
		log("upgrade of '%s' by %lu bytes RAM, %lu caps failed: %s", ch->name,
		    (unsigned long)ram, (unsigned long)caps, rpc_status_name(st));
		return;
	}
	ch->ram_lent += ram;
	ch->caps_lent += caps;
	rt_report_changed();
}

void rt_quota_start(const struct init_child *cfg)
{
	if (must_wait(cfg->ram, cfg->caps))
		hold(INIT_ACT_START, cfg->name, 0);
	else
		rt_child_start(cfg);
}

void rt_quota_upgrade(struct rt_child *ch, enum init_action_kind kind, word_t amount)
{
	word_t ram = kind == INIT_ACT_UPGRADE_RAM ? amount : 0;
	word_t caps = kind == INIT_ACT_UPGRADE_CAPS ? amount : 0;

	if (must_wait(ram, caps))
		hold(kind, ch->name, amount);
	else
		upgrade(ch, ram, caps);
}

/* Carry out the waiting starts and upgrades, in order, while they fit. */
void rt_quota_retry(void)
{
	struct rt_held *h, *next;

	for (h = rt.held; h; h = next) {
		const struct init_child *cfg;
		struct rt_child *ch;
		word_t ram, caps;

		next = h->next;
		cfg = init_model_child(&rt.model, h->name);
		ch = rt_child_by_name(h->name);
		if (!cfg || (h->kind != INIT_ACT_START && (!ch || ch->state != RT_RUNNING)) ||
		    (h->kind == INIT_ACT_START && ch && ch->state == RT_RUNNING)) {
			RT_UNLINK(rt.held, h);   /* the child went or came meanwhile */
			free(h);
			continue;
		}
		ram = h->kind == INIT_ACT_START ? cfg->ram : h->kind == INIT_ACT_UPGRADE_RAM ? h->amount : 0;
		caps = h->kind == INIT_ACT_START ? cfg->caps : h->kind == INIT_ACT_UPGRADE_CAPS ? h->amount : 0;
		if (short_of(ram, caps))
			return;
		RT_UNLINK(rt.held, h);
		if (h->kind == INIT_ACT_START)
			rt_child_start(cfg);
		else
			upgrade(ch, ram, caps);
		free(h);
	}
}

/* Take back what the child owes and has not spent; true when all is back. */
static bool withdraw(struct rt_child *ch)
{
	struct pd_quota q;
	word_t ram, caps;
	rpc_status_t st;

	if (!ch->owed_ram && !ch->owed_caps)
		return true;
	st = pd_quota(ch->c.pd, &q);
	if (st != RPC_OK) {
		log("quota of '%s' unknown: %s", ch->name, rpc_status_name(st));
		return false;
	}
	ram = min_w(ch->owed_ram, q.ram_quota > q.ram_used ? q.ram_quota - q.ram_used : 0);
	caps = min_w(ch->owed_caps, q.cap_quota > q.cap_used ? q.cap_quota - q.cap_used : 0);
	if (!ram && !caps)
		return false;
	st = pd_transfer(ch->c.pd, rt.env->pd, ram, caps);
	if (st != RPC_OK) {
		log("withdrawing %lu bytes RAM, %lu caps from '%s' failed: %s", (unsigned long)ram,
		    (unsigned long)caps, ch->name, rpc_status_name(st));
		return false;
	}
	ch->owed_ram -= ram;
	ch->owed_caps -= caps;
	ch->ram_lent -= min_w(ram, ch->ram_lent);
	ch->caps_lent -= min_w(caps, ch->caps_lent);
	rt_report_changed();
	return !ch->owed_ram && !ch->owed_caps;
}

void rt_quota_reclaim(struct rt_child *ch, enum init_action_kind kind, word_t amount)
{
	if (kind == INIT_ACT_RECLAIM_RAM)
		ch->owed_ram += amount;
	else
		ch->owed_caps += amount;
	if (withdraw(ch))
		return;
	log("child '%s' asked to yield %lu bytes RAM, %lu caps", ch->name,
	    (unsigned long)ch->owed_ram, (unsigned long)ch->owed_caps);
	if (ch->yield_sigh)
		signal_submit(ch->yield_sigh);
	else
		log("child '%s' has no yield handler: the rest stays until it ends", ch->name);
}

rpc_status_t rt_yield_sigh(struct rt_child *ch, struct rpc_msg *ntfn)
{
	return rpc_take_sigh(ntfn, &ch->yield_sigh, true);
}

void rt_yield_request(struct rt_child *ch, word_t *ram, word_t *caps)
{
	*ram = ch->owed_ram;
	*caps = ch->owed_caps;
}

void rt_yield_response(struct rt_child *ch)
{
	if (!ch->owed_ram && !ch->owed_caps)
		return;
	if (withdraw(ch))
		log("child '%s' yielded: its quota is lowered", ch->name);
	else
		log("child '%s' answered the yield request but still owes %lu bytes RAM, %lu caps",
		    ch->name, (unsigned long)ch->owed_ram, (unsigned long)ch->owed_caps);
	rt_quota_retry();
}

/* A child ends: what it owed came back with its account. */
void rt_quota_gone(struct rt_child *ch)
{
	ch->owed_ram = ch->owed_caps = 0;
	ch->ram_lent = ch->caps_lent = 0;
	if (ch->yield_sigh)
		cap_slot_free(ch->yield_sigh);
	ch->yield_sigh = 0;
}

/* After a reconfiguration: children that still owe quota are asked again. */
void rt_quota_ask_again(void)
{
	for (struct rt_child *ch = rt.children; ch; ch = ch->next) {
		if (ch->state != RT_RUNNING || (!ch->owed_ram && !ch->owed_caps) || withdraw(ch))
			continue;
		log("child '%s' has not yet yielded %lu bytes RAM, %lu caps: asked again", ch->name,
		    (unsigned long)ch->owed_ram, (unsigned long)ch->owed_caps);
		if (ch->yield_sigh)
			signal_submit(ch->yield_sigh);
	}
}
