/*
 * Client side of the Gui session (gui_session.h). Checks the buffer's
 * size against its dataspace.
 */
#include <argil/component.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <gui_session.h>

RPC_CLIENT(gui, GUI_RPC)

rpc_status_t gui_connect(struct gui_connection *c, const char *label, word_t width,
			 word_t height)
{
	rpc_status_t st;

	memset(c, 0, sizeof(*c));
	st = parent_session(COMPONENT_PARENT, GUI_SERVICE, label, "",
			    GUI_SESSION_RAM + GUI_BUFFER_COST(width, height), GUI_SESSION_CAPS, 0,
			    &c->session, &c->id);
	if (st != RPC_OK)
		c->session = 0;
	return st;
}

static void drop_buffer(struct gui_connection *c)
{
	if (c->pixels)
		pd_detach(COMPONENT_PD, (word_t)c->pixels);
	cap_slot_free(c->ds);
	c->pixels = 0;
	c->ds = 0;
	c->width = c->height = 0;
}

rpc_status_t gui_set_buffer(struct gui_connection *c, word_t width, word_t height)
{
	word_t size, at;
	rpc_status_t st;

	drop_buffer(c);
	st = gui_buffer(c->session, width, height, &c->ds, &size);
	if (st != RPC_OK) {
		c->ds = 0;
		return st;
	}
	st = ds_attach_checked(c->ds, size, width * height * 4, ATTACH_WRITE, &at, 0);
	if (st != RPC_OK) {
		drop_buffer(c);
		return st;
	}
	c->pixels = (uint32_t *)at;
	c->width = width;
	c->height = height;
	return RPC_OK;
}

void gui_disconnect(struct gui_connection *c)
{
	drop_buffer(c);
	if (c->input)
		pd_detach(COMPONENT_PD, (word_t)c->input);
	if (c->session) {
		parent_close(COMPONENT_PARENT, c->id);
		cap_slot_free(c->session);
	}
	memset(c, 0, sizeof(*c));
}

rpc_status_t gui_input_attach(struct gui_connection *c, cptr_t sigh)
{
	word_t size, at;
	cptr_t ds;
	rpc_status_t st;

	if (c->input)
		return RPC_E_EXISTS;
	st = gui_input_ds(c->session, &ds, &size);
	if (st != RPC_OK)
		return st;
	st = ds_attach_checked(ds, size, GUI_INPUT_MAX * sizeof(struct input_event), 0, &at, 0);
	cap_slot_free(ds);
	if (st != RPC_OK)
		return st;
	c->input = (const struct input_event *)at;
	c->input_count = c->input_pos = 0;
	return sigh ? gui_input_sigh(c->session, sigh) : RPC_OK;
}

bool gui_input_next(struct gui_connection *c, struct input_event *e)
{
	word_t count, dropped;

	if (!c->input)
		return false;
	if (c->input_pos == c->input_count) {
		c->input_pos = c->input_count = 0;
		if (gui_input_fetch(c->session, &count, &dropped) != RPC_OK)
			return false;
		c->input_dropped += dropped;
		c->input_count = count < GUI_INPUT_MAX ? count : GUI_INPUT_MAX;
	}
	if (c->input_pos == c->input_count)
		return false;
	*e = c->input[c->input_pos++];
	return true;
}
