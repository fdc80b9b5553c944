/*
 * Client side of the Entropy session (entropy_session.h). Trusts the
 * server for the bytes (that is what it is for), checks the buffer's
 * size against its dataspace and the count of each reply.
 */
#include <argil/component.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <entropy_session.h>

RPC_CLIENT(entropy, ENTROPY_RPC)

rpc_status_t entropy_connect(struct entropy_connection *e, const char *label)
{
	word_t at;
	rpc_status_t st;

	memset(e, 0, sizeof(*e));
	st = parent_session(COMPONENT_PARENT, ENTROPY_SERVICE, label, "", ENTROPY_SESSION_RAM,
			    ENTROPY_SESSION_CAPS, 0, &e->session, &e->id);
	if (st != RPC_OK) {
		e->session = 0;
		return st;
	}
	st = entropy_dataspace(e->session, &e->ds, &e->size);
	if (st == RPC_OK)
		st = ds_attach_checked(e->ds, e->size, ENTROPY_MAX, 0, &at, 0);
	if (st != RPC_OK) {
		entropy_disconnect(e);
		return st;
	}
	e->buf = (const uint8_t *)at;
	return RPC_OK;
}

rpc_status_t entropy_read(struct entropy_connection *e, void *out, size_t n)
{
	uint8_t *o = out;

	while (n) {
		word_t want = n < ENTROPY_MAX ? n : ENTROPY_MAX, got = 0;
		rpc_status_t st = entropy_get(e->session, want, &got);
		if (st != RPC_OK)
			return st;
		if (got != want)
			return RPC_E_TRUNCATED;
		memcpy(o, e->buf, want);
		o += want;
		n -= want;
	}
	return RPC_OK;
}

void entropy_disconnect(struct entropy_connection *e)
{
	if (e->buf)
		pd_detach(COMPONENT_PD, (word_t)e->buf);
	cap_slot_free(e->ds);
	if (e->session) {
		parent_close(COMPONENT_PARENT, e->id);
		cap_slot_free(e->session);
	}
	memset(e, 0, sizeof(*e));
}
