/*
 * Client side of the Capture session (capture_session.h). Trusts the
 * server for nothing but its answers: the buffer's size is checked
 * against the screen announced and against its dataspace.
 */
#include <argil/component.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <capture_session.h>

RPC_CLIENT(capture, CAPTURE_RPC)

rpc_status_t capture_connect(struct capture_connection *c, const char *label, cptr_t sigh)
{
	rpc_status_t st;

	memset(c, 0, sizeof(*c));
	st = parent_session(COMPONENT_PARENT, CAPTURE_SERVICE, label, "", CAPTURE_SESSION_RAM,
			    CAPTURE_SESSION_CAPS, 0, &c->session, &c->id);
	if (st != RPC_OK) {
		c->session = 0;
		return st;
	}
	if (sigh)
		st = capture_sigh(c->session, sigh);
	if (st != RPC_OK)
		capture_disconnect(c);
	return st;
}

static void drop_buffer(struct capture_connection *c)
{
	if (c->pixels)
		pd_detach(COMPONENT_PD, (word_t)c->pixels);
	cap_slot_free(c->ds);
	c->pixels = 0;
	c->ds = 0;
	c->width = c->height = 0;
}

rpc_status_t capture_set_screen(struct capture_connection *c, word_t width, word_t height)
{
	word_t size, at;
	rpc_status_t st;

	drop_buffer(c);
	st = capture_screen(c->session, width, height, &c->ds, &size);
	if (st != RPC_OK) {
		c->ds = 0;
		return st;
	}
	st = ds_attach_checked(c->ds, size, width * height * 4, 0, &at, 0);
	if (st != RPC_OK) {
		drop_buffer(c);
		return st;
	}
	c->pixels = (uint32_t *)at;
	c->width = width;
	c->height = height;
	return RPC_OK;
}

void capture_disconnect(struct capture_connection *c)
{
	drop_buffer(c);
	if (c->session) {
		parent_close(COMPONENT_PARENT, c->id);
		cap_slot_free(c->session);
	}
	memset(c, 0, sizeof(*c));
}
