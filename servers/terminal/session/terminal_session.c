/*
 * Client side of the Terminal session (terminal_session.h). Checks the
 * I/O buffer's size against its dataspace.
 */
#include <argil/component.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <terminal_session.h>

RPC_CLIENT(terminal, TERMINAL_RPC)

rpc_status_t terminal_connect(struct terminal_connection *c, const char *label, cptr_t sigh)
{
	word_t size, at;
	cptr_t ds = 0;
	rpc_status_t st;

	memset(c, 0, sizeof(*c));
	st = parent_session(COMPONENT_PARENT, TERMINAL_SERVICE, label, "", TERMINAL_SESSION_RAM,
			    TERMINAL_SESSION_CAPS, 0, &c->session, &c->id);
	if (st != RPC_OK) {
		c->session = 0;
		return st;
	}
	st = terminal_ds(c->session, &ds, &size);
	if (st == RPC_OK && size > TERMINAL_IO_SIZE)
		st = RPC_E_INVALID_CAP;
	if (st == RPC_OK)
		st = ds_attach_checked(ds, size, 1, ATTACH_WRITE, &at, 0);
	cap_slot_free(ds);
	if (st == RPC_OK && sigh)
		st = terminal_sigh(c->session, sigh);
	if (st != RPC_OK) {
		if (c->io)
			pd_detach(COMPONENT_PD, (word_t)c->io);
		c->io = 0;
		terminal_disconnect(c);
		return st;
	}
	c->io = (char *)at;
	c->io_size = size;
	return RPC_OK;
}

rpc_status_t terminal_write_all(struct terminal_connection *c, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		word_t n = len < c->io_size ? len : c->io_size, taken;
		rpc_status_t st;

		memcpy(c->io, p, n);
		st = terminal_write(c->session, n, &taken);
		if (st != RPC_OK)
			return st;
		if (taken != n)
			return RPC_E_TRUNCATED;
		p += n;
		len -= n;
	}
	return RPC_OK;
}

rpc_status_t terminal_read_some(struct terminal_connection *c, void *out, size_t max, size_t *got)
{
	word_t n;
	rpc_status_t st;

	*got = 0;
	if (max < c->io_size)
		return RPC_E_INVALID_ARGUMENT;   /* a read takes up to a whole buffer */
	st = terminal_read(c->session, &n);
	if (st != RPC_OK)
		return st;
	if (n > c->io_size)
		return RPC_E_TRUNCATED;
	memcpy(out, c->io, n);
	*got = n;
	return RPC_OK;
}

void terminal_disconnect(struct terminal_connection *c)
{
	if (c->io)
		pd_detach(COMPONENT_PD, (word_t)c->io);
	if (c->session) {
		parent_close(COMPONENT_PARENT, c->id);
		cap_slot_free(c->session);
	}
	memset(c, 0, sizeof(*c));
}
