/*
 * The server's side of an Event session (event_session.h): one copy for
 * the event server, the event filter and the GUI server.
 */
#include <argil/string.h>
#include <event_session.h>

#define SINK_BYTES (EVENT_BATCH_MAX * sizeof(struct input_event))

rpc_status_t event_sink_open(struct event_sink *k, struct session_budget *budget)
{
	memset(k, 0, sizeof(*k));
	if (!budget_take(budget, EVENT_SESSION_RAM, EVENT_SESSION_CAPS))
		return RPC_E_NO_RAM_QUOTA;
	return ram_buf_alloc(&k->mem, SINK_BYTES);
}

void event_sink_close(struct event_sink *k)
{
	ram_buf_free(&k->mem);
}

void event_sink_dataspace(const struct event_sink *k, cptr_t *ds, word_t *size)
{
	*ds = k->mem.ds;
	*size = SINK_BYTES;
}

rpc_status_t event_sink_take(struct event_sink *k, word_t count, word_t seq, bool chars_ok,
			     struct input_event *batch, word_t *n)
{
	*n = 0;
	if (!count || count > EVENT_BATCH_MAX || seq != k->seq)
		return RPC_E_INVALID_ARGUMENT;
	/* copied before checked: the source may write the buffer meanwhile */
	memcpy(batch, k->mem.va, count * sizeof(batch[0]));
	for (word_t i = 0; i < count; i++)
		if (!input_event_valid(&batch[i]) || (!chars_ok && batch[i].type == INPUT_CHAR))
			return RPC_E_INVALID_ARGUMENT;
	k->seq += count;
	*n = count;
	return RPC_OK;
}
