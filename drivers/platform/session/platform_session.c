/*
 * Client side of the Platform session (platform_session.h): the stubs
 * generated from its description and a connection through the parent.
 */
#include <argil/component.h>
#include <argil/parent.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <platform_session.h>

RPC_CLIENT(platform, PLATFORM_RPC)

rpc_status_t platform_connect(struct platform_connection *p, const char *label, word_t ram)
{
	rpc_status_t st;

	memset(p, 0, sizeof(*p));
	if (ram < PLATFORM_SESSION_RAM)
		ram = PLATFORM_SESSION_RAM;
	st = parent_session(COMPONENT_PARENT, PLATFORM_SERVICE, label, "", ram,
			    PLATFORM_SESSION_CAPS, 0, &p->session, &p->id);
	if (st != RPC_OK)
		memset(p, 0, sizeof(*p));
	return st;
}

rpc_status_t platform_upgrade(struct platform_connection *p, word_t ram, word_t caps)
{
	if (!p->session)
		return RPC_E_INVALID_CAP;
	return parent_upgrade(COMPONENT_PARENT, p->id, ram, caps, 0);
}

rpc_status_t platform_disconnect(struct platform_connection *p)
{
	rpc_status_t st = RPC_OK;

	if (p->session) {
		st = parent_close(COMPONENT_PARENT, p->id);
		cap_slot_free(p->session);
	}
	memset(p, 0, sizeof(*p));
	return st;
}

uint32_t platform_pci_read(struct platform_connection *p, unsigned bus, unsigned dev,
			   unsigned fn, unsigned offset, unsigned width)
{
	word_t v = 0;

	if (platform_pci_config_read(p->session, PLATFORM_BDF(bus, dev, fn), offset, width,
				     &v) != RPC_OK)
		return width >= 4 ? 0xffffffffu : (1u << (8 * width)) - 1;
	return (uint32_t)v;
}

rpc_status_t platform_pci_write(struct platform_connection *p, unsigned bus, unsigned dev,
				unsigned fn, unsigned offset, unsigned width, uint32_t value)
{
	return platform_pci_config_write(p->session, PLATFORM_BDF(bus, dev, fn), offset, width,
					 value);
}
