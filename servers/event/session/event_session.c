/*
 * Client side of the Event session (event_session.h), and the names of
 * event types and key codes. Trusts the server for nothing but its
 * answers; checks the buffer's size against its dataspace.
 */
#include <argil/component.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <event_session.h>

RPC_CLIENT(event, EVENT_RPC)

#define KEY_CASE(name, code) case code: return #name;

const char *key_name(unsigned code)
{
	switch (code) {
	KEY_NAMES(KEY_CASE)
	}
	return 0;
}

const char *input_type_name(uint32_t type)
{
	switch (type) {
	case INPUT_PRESS: return "press";
	case INPUT_RELEASE: return "release";
	case INPUT_MOTION: return "motion";
	case INPUT_WHEEL: return "wheel";
	case INPUT_ABSOLUTE: return "absolute";
	case INPUT_CHAR: return "char";
	}
	return 0;
}

bool input_event_valid(const struct input_event *e)
{
	switch (e->type) {
	case INPUT_PRESS:
	case INPUT_RELEASE:
		return e->code && e->code <= KEY_MAX && !e->x && !e->y;
	case INPUT_MOTION:
	case INPUT_WHEEL:
		return !e->code;
	case INPUT_ABSOLUTE:
		return !e->code && e->x >= 0 && e->x <= INPUT_ABS_MAX && e->y >= 0 &&
		       e->y <= INPUT_ABS_MAX;
	case INPUT_CHAR:
		return e->code && e->code <= INPUT_CHAR_MAX && (e->code < 0xd800 || e->code > 0xdfff) &&
		       (e->x == 0 || e->x == 1) && !e->y;
	}
	return false;
}

rpc_status_t event_connect(struct event_connection *c, const char *label)
{
	word_t size, at;
	rpc_status_t st;

	memset(c, 0, sizeof(*c));
	st = parent_session(COMPONENT_PARENT, EVENT_SERVICE, label, "", EVENT_SESSION_RAM,
			    EVENT_SESSION_CAPS, 0, &c->session, &c->id);
	if (st != RPC_OK) {
		c->session = 0;
		return st;
	}
	st = event_dataspace(c->session, &c->ds, &size);
	if (st == RPC_OK)
		st = ds_attach_checked(c->ds, size, sizeof(struct input_event), ATTACH_WRITE, &at, 0);
	if (st != RPC_OK) {
		event_disconnect(c);
		return st;
	}
	c->buf = (struct input_event *)at;
	c->max = size / sizeof(struct input_event);
	return RPC_OK;
}

rpc_status_t event_flush(struct event_connection *c)
{
	rpc_status_t st;

	if (!c->pending)
		return RPC_OK;
	st = event_submit(c->session, c->pending, c->seq);
	if (st == RPC_OK)
		c->seq += c->pending;
	/* a refused batch is dropped: sending it again would be refused too */
	c->pending = 0;
	return st;
}

rpc_status_t event_put(struct event_connection *c, const struct input_event *e)
{
	rpc_status_t st = RPC_OK;

	if (c->pending == c->max)
		st = event_flush(c);
	c->buf[c->pending++] = *e;
	return st;
}

void event_disconnect(struct event_connection *c)
{
	if (c->buf)
		pd_detach(COMPONENT_PD, (word_t)c->buf);
	cap_slot_free(c->ds);
	if (c->session) {
		parent_close(COMPONENT_PARENT, c->id);
		cap_slot_free(c->session);
	}
	memset(c, 0, sizeof(*c));
}
