/*
 * Attached ROMs (argil/rom.h): a ROM session through the component's
 * parent, its dataspace attached read-only, refreshed on request: in
 * place if the server can (ROM_UPDATE), else by fetching it again.
 */
#include <argil/component.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/rom.h>
#include <argil/slot.h>
#include <argil/string.h>

static void detach(struct attached_rom *r)
{
	if (r->data)
		pd_detach(COMPONENT_PD, (word_t)r->data);
	if (r->ds)
		cap_slot_free(r->ds);
	r->data = 0;
	r->ds = 0;
	r->size = 0;
}

static rpc_status_t attach(struct attached_rom *r)
{
	word_t addr;
	rpc_status_t st = rom_dataspace(r->session, &r->ds, &r->size);

	if (st != RPC_OK) {
		r->ds = 0;
		r->size = 0;
		return st;
	}
	if (r->size == 0)
		return RPC_OK;
	st = pd_attach(COMPONENT_PD, r->ds, 0, 0, 0, 0, &addr);
	if (st != RPC_OK) {
		detach(r);
		return st;
	}
	r->data = (const char *)addr;
	return RPC_OK;
}

/* attach, and while the server wants more quota for the client's copy
 * (content grown beyond what the donation pays), upgrade the session:
 * 8 KiB, doubling, at most ROM_UPGRADE_MAX at once */
static rpc_status_t attach_upgrading(struct attached_rom *r)
{
	rpc_status_t st = attach(r);

	for (word_t more = 8192; st == RPC_E_NO_RAM_QUOTA && more <= ROM_UPGRADE_MAX; more *= 2) {
		st = parent_upgrade(COMPONENT_PARENT, r->id, more, 1, 0);
		if (st == RPC_OK)
			st = attach(r);
	}
	return st;
}

rpc_status_t attached_rom_open(struct attached_rom *r, const char *name)
{
	rpc_status_t st;

	memset(r, 0, sizeof(*r));
	st = parent_session(COMPONENT_PARENT, "ROM", name, "", ROM_SESSION_RAM, ROM_SESSION_CAPS, 0,
			    &r->session, &r->id);
	if (st != RPC_OK) {
		r->session = 0;
		return st;
	}
	st = attach_upgrading(r);
	if (st != RPC_OK)
		attached_rom_close(r);
	return st;
}

rpc_status_t attached_rom_update(struct attached_rom *r)
{
	word_t in_place = 0, size = 0, addr, dsize;
	rpc_status_t st = rom_update(r->session, &in_place, &size);

	if (st != RPC_OK)
		return st;
	/* in place: the same dataspace, new content; believe the size only
	 * as far as the dataspace reaches */
	if (in_place && r->ds && ds_info(r->ds, &dsize, 0, 0) == RPC_OK && size <= dsize) {
		if (size && !r->data) {
			if (pd_attach(COMPONENT_PD, r->ds, 0, 0, 0, 0, &addr) != RPC_OK)
				goto refetch;
			r->data = (const char *)addr;
		}
		r->size = size;
		return RPC_OK;
	}
refetch:
	detach(r);
	return attach_upgrading(r);
}

void attached_rom_close(struct attached_rom *r)
{
	detach(r);
	if (r->session) {
		parent_close(COMPONENT_PARENT, r->id);
		cap_slot_free(r->session);
	}
	memset(r, 0, sizeof(*r));
}
