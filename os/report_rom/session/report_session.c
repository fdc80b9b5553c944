/*
 * Client side of the Report session (report_session.h). Trusts the server
 * only for the buffer's size, which it checks against the dataspace.
 */
#include <argil/component.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <report_session.h>
#include <argil/slot.h>
#include <argil/string.h>

RPC_CLIENT(report, REPORT_RPC)

rpc_status_t reporter_open(struct reporter *r, const char *label, word_t size)
{
	char args[48];
	word_t addr;
	rpc_status_t st;

	memset(r, 0, sizeof(*r));
	snprintf(args, sizeof(args), "buffer_size=%lu", size);
	st = parent_session(COMPONENT_PARENT, REPORT_SERVICE, label, args, REPORT_SESSION_RAM(size),
			    REPORT_SESSION_CAPS, 0, &r->session, &r->id);
	if (st != RPC_OK) {
		r->session = 0;
		return st;
	}
	st = report_dataspace(r->session, &r->ds, &r->size);
	if (st == RPC_OK)
		st = ds_attach_checked(r->ds, r->size, 0, ATTACH_WRITE, &addr, 0);
	if (st != RPC_OK) {
		reporter_close(r);
		return st;
	}
	r->buf = (char *)addr;
	return RPC_OK;
}

rpc_status_t reporter_submit(struct reporter *r, const char *data, word_t len)
{
	if (len > r->size)
		return RPC_E_INVALID_ARGUMENT;
	memcpy(r->buf, data, len);
	return report_submit(r->session, len);
}

void reporter_close(struct reporter *r)
{
	if (r->buf)
		pd_detach(COMPONENT_PD, (word_t)r->buf);
	cap_slot_free(r->ds);
	if (r->session) {
		parent_close(COMPONENT_PARENT, r->id);
		cap_slot_free(r->session);
	}
	memset(r, 0, sizeof(*r));
}
