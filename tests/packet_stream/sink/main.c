/*
 * packet_sink: the sink of a packet stream per Packet_sink session
 * (../packet_sink.h), for run/packet_stream_test and the packet_stream_4k
 * benchmark. Takes every packet the client submits, inverts its bytes and
 * acknowledges it; on request it pauses or misbehaves (wrong or doubled
 * acknowledgements) so that the test sees what a source does about a
 * hostile sink.
 *
 * Trusts its parent and core. The client is trusted for nothing: every
 * descriptor and index it writes into the stream is checked by the packet
 * stream library (a bad descriptor is acknowledged as rejected, its
 * payload never touched; a corrupted index ends that session's stream and
 * nothing else).
 */
#include <argil/args.h>
#include <argil/component.h>
#include <argil/log.h>
#include <argil/packet_stream.h>
#include <argil/pd.h>
#include <argil/session_server.h>
#include <argil/slot.h>
#include <argil/string.h>
#include "../packet_sink.h"

struct session {
	struct server_session ss;
	cptr_t ds;
	uint8_t *mem;
	word_t size;
	struct ps_sink sink;
	struct ps_caps peer;                 /* the client's notifications */
	struct signal_handler submit_ready, ack_slot_free;
	enum psink_mode mode;
	struct ps_desc pending[2];           /* acks the full ack ring did not take yet */
	int npending;
	word_t processed, rejected;
	bool dead_logged;
};

static struct component_env *env;

static void invert(uint8_t *p, uint32_t n)
{
	uint32_t i = 0;

	for (; i + 8 <= n && !((uintptr_t)(p + i) & 7); i += 8)
		*(uint64_t *)(p + i) = ~*(uint64_t *)(p + i);
	for (; i < n; i++)
		p[i] = (uint8_t)~p[i];
}

static void queue_ack(struct session *s, const struct ps_desc *d)
{
	s->pending[s->npending++] = *d;
}

/* Take and acknowledge what there is; stop when the submit ring is empty
 * or the ack ring full (its slot-free signal brings us back). */
static void pump(struct session *s)
{
	struct ps_desc d;
	ps_error_t err;

	for (;;) {
		while (s->npending) {
			err = ps_ack(&s->sink, &s->pending[0]);
			if (err == PS_E_FULL)
				return;
			if (err != PS_OK)
				goto dead;
			s->pending[0] = s->pending[1];
			s->npending--;
		}
		if (s->mode == PSINK_PAUSED)
			return;
		err = ps_get_packet(&s->sink, &d);
		if (err == PS_E_EMPTY)
			return;
		if (err == PS_E_BAD_DESC) {
			s->rejected++;
			d.size = 0;
			d.status = PS_STATUS_BAD_DESC;
			queue_ack(s, &d);
			continue;
		}
		if (err != PS_OK)
			goto dead;
		if (d.opcode == PSINK_OP_INVERT) {
			invert(ps_payload(&s->sink.e, &d), d.size);
			d.status = PS_STATUS_OK;
			s->processed++;
		} else {
			d.status = PS_STATUS_BAD_OPCODE;
		}
		if (s->mode == PSINK_ACK_WRONG)
			d.offset += 8;
		queue_ack(s, &d);
		if (s->mode == PSINK_ACK_TWICE)
			queue_ack(s, &d);
	}
dead:
	if (!s->dead_logged)
		log("session %lu: stream dead: %s", s->ss.id, ps_error_name(err));
	s->dead_logged = true;
}

static void on_signal(void *arg)
{
	pump(arg);
}

/* ---- RPC ---- */

static rpc_status_t do_stream(struct psink_stream_call *c)
{
	struct session *s = c->obj;

	c->out.ds = s->ds;
	c->out.size = s->size;
	return RPC_OK;
}

static rpc_status_t do_sigh(struct psink_sigh_call *c)
{
	struct session *s = c->obj;
	cptr_t slot;
	rpc_status_t st;

	if (c->in.cond != PS_ACK_READY && c->in.cond != PS_SUBMIT_SLOT_FREE)
		return RPC_E_INVALID_ARGUMENT;
	slot = s->peer.cap[c->in.cond];
	st = rpc_take_sigh(c->in.ntfn, &slot, false);
	s->peer.cap[c->in.cond] = slot;
	return st;
}

static rpc_status_t do_cap(struct psink_cap_call *c)
{
	struct session *s = c->obj;

	if (c->in.cond == PS_SUBMIT_READY)
		c->out.ntfn = s->submit_ready.cap;
	else if (c->in.cond == PS_ACK_SLOT_FREE)
		c->out.ntfn = s->ack_slot_free.cap;
	else
		return RPC_E_INVALID_ARGUMENT;
	return RPC_OK;
}

static rpc_status_t do_mode(struct psink_mode_call *c)
{
	struct session *s = c->obj;

	if (c->in.mode > PSINK_ACK_TWICE)
		return RPC_E_INVALID_ARGUMENT;
	s->mode = (enum psink_mode)c->in.mode;
	pump(s);
	return RPC_OK;
}

static rpc_status_t do_stats(struct psink_stats_call *c)
{
	struct session *s = c->obj;

	c->out.processed = s->processed;
	c->out.rejected = s->rejected;
	c->out.dead = s->sink.e.dead;
	return RPC_OK;
}

RPC_SERVER(psink, PSINK_RPC)

static const struct psink_server ops = {
	.psink_stream = do_stream,
	.psink_sigh = do_sigh,
	.psink_cap = do_cap,
	.psink_mode = do_mode,
	.psink_stats = do_stats,
};

static void session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	psink_dispatch(&ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

/* ---- sessions ---- */

static void release(struct session *s)
{
	signal_handler_fini(&env->ep, &s->submit_ready);
	signal_handler_fini(&env->ep, &s->ack_slot_free);
	for (int i = 0; i < PS_CONDS; i++)
		cap_slot_free((cptr_t)s->peer.cap[i]);
	if (s->mem)
		pd_detach(COMPONENT_PD, (word_t)s->mem);
	if (s->ds) {
		pd_free_ram(COMPONENT_PD, s->ds);
		cap_slot_free(s->ds);
	}
}

static rpc_status_t create(struct session_server *srv, struct server_session *ss, const char *args)
{
	struct session *s = (struct session *)ss;
	uint64_t size, slots;
	word_t addr;
	rpc_status_t st;

	(void)srv;
	s->submit_ready.bit = s->ack_slot_free.bit = -1;
	if (args_u64(args, "size", 64 * 1024, &size) < 0 || size < 4096 || size > PSINK_MAX_SIZE ||
	    args_u64(args, "slots", 16, &slots) < 0 || slots > PS_MAX_SLOTS)
		return RPC_E_INVALID_ARGUMENT;
	size = PAGES(size) * 4096;
	if (!budget_take(&ss->budget, PSINK_RAM(size), PSINK_CAPS))
		return RPC_E_NO_RAM_QUOTA;
	s->size = size;
	st = pd_alloc_ram(COMPONENT_PD, size, &s->ds);
	if (st != RPC_OK) {
		s->ds = 0;
		return st;
	}
	st = pd_attach(COMPONENT_PD, s->ds, 0, 0, 0, ATTACH_WRITE, &addr);
	if (st != RPC_OK)
		goto fail;
	s->mem = (uint8_t *)addr;
	if (ps_format(s->mem, size, (uint32_t)slots) != PS_OK ||
	    ps_sink_init(&s->sink, s->mem, size, ps_signal_caps, &s->peer) != PS_OK) {
		st = RPC_E_INVALID_ARGUMENT;
		goto fail;
	}
	st = signal_handler_init(&env->ep, &s->submit_ready, on_signal, s);
	if (st == RPC_OK)
		st = signal_handler_init(&env->ep, &s->ack_slot_free, on_signal, s);
	if (st != RPC_OK)
		goto fail;
	return RPC_OK;
fail:
	release(s);
	return st;
}

static void destroy(struct session_server *srv, struct server_session *ss)
{
	(void)srv;
	release((struct session *)ss);
}

static struct session_server server = {
	.service = PSINK_SERVICE,
	.size = sizeof(struct session),
	.ram = PSINK_BASE_RAM,
	.caps = PSINK_CAPS,
	.create = create,
	.destroy = destroy,
	.rpc = session_rpc,
};

void component_construct(struct component_env *e)
{
	rpc_status_t st;

	env = e;
	server.ep = &env->ep;
	st = session_server_announce(&server);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(1);
	}
}
