/*
 * Client stubs of the parent, root, PD, dataspace, CPU, thread, ROM, LOG
 * and device interfaces, generated from their descriptions in
 * argil/parent.h, root.h, pd.h, cpu.h, rom.h, log.h and io.h
 * (argil/rpc_gen.h): marshal, rpc_call, check the reply's shape, unmarshal.
 */
#include <argil/parent.h>
#include <argil/root.h>
#include <argil/pd.h>
#include <argil/cpu.h>
#include <argil/rom.h>
#include <argil/log.h>
#include <argil/io.h>
#include <argil/string.h>

RPC_CLIENT(parent, PARENT_RPC)
RPC_CLIENT(root, ROOT_RPC)
RPC_CLIENT(pd, PD_RPC)
RPC_CLIENT(ds, DS_RPC)
RPC_CLIENT(cpu, CPU_RPC)
RPC_CLIENT(thread, THREAD_RPC)
RPC_CLIENT(rom, ROM_RPC)
RPC_CLIENT(log, LOG_RPC)
RPC_CLIENT(io_mem, IO_MEM_RPC)
RPC_CLIENT(dma, DMA_RPC)
RPC_CLIENT(io_port, IO_PORT_RPC)
RPC_CLIENT(irq, IRQ_RPC)
