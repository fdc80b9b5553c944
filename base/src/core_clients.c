/*
 * Client stubs of the parent, root, PD, dataspace, CPU, thread, ROM, LOG
 * and device interfaces, generated from their descriptions in
 * argil/parent.h, root.h, pd.h, cpu.h, rom.h, log.h and io.h
 * (argil/rpc_gen.h): marshal, rpc_call, check the reply's shape, unmarshal.
 */
#include <argil/component.h>
#include <argil/parent.h>
#include <argil/slot.h>
#include <argil/root.h>
#include <argil/pd.h>
#include <argil/cpu.h>
#include <argil/rom.h>
#include <argil/log.h>
#include <argil/io.h>
#include <argil/string.h>

RPC_CLIENT(parent, PARENT_RPC)

rpc_status_t parent_conn_open(struct parent_conn *c, const char *service, const char *label,
			      const char *args, word_t ram, word_t caps)
{
	rpc_status_t st = parent_session(COMPONENT_PARENT, service, label, args, ram, caps, 0,
					 &c->cap, &c->id);

	if (st != RPC_OK)
		c->cap = 0;
	return st;
}

void parent_conn_close(struct parent_conn *c)
{
	if (!c->cap)
		return;
	parent_close(COMPONENT_PARENT, c->id);
	cap_slot_free(c->cap);
	c->cap = 0;
}
RPC_CLIENT(root, ROOT_RPC)
RPC_CLIENT(pd, PD_RPC)
RPC_CLIENT(ds, DS_RPC)

rpc_status_t ds_attach_checked(cptr_t ds, word_t size, word_t min, word_t flags, word_t *at,
			       word_t *dsize)
{
	word_t own = 0;

	if (size < min || ds_info(ds, &own, 0, 0) != RPC_OK || own < size)
		return RPC_E_INVALID_CAP;
	if (dsize)
		*dsize = own;
	return pd_attach(COMPONENT_PD, ds, 0, 0, 0, flags, at);
}
RPC_CLIENT(cpu, CPU_RPC)
RPC_CLIENT(thread, THREAD_RPC)
RPC_CLIENT(rom, ROM_RPC)
RPC_CLIENT(log, LOG_RPC)
RPC_CLIENT(io_mem, IO_MEM_RPC)
RPC_CLIENT(dma, DMA_RPC)
RPC_CLIENT(io_port, IO_PORT_RPC)
RPC_CLIENT(irq, IRQ_RPC)
