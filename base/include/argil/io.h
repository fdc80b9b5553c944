/*
 * Device access sessions at core: IO_MEM, IO_PORT and IRQ. Each is
 * exclusive: a range of I/O memory or ports, or an interrupt, belongs to at
 * most one session at a time; a second request gets RPC_E_BUSY
 * (docs/framework.md, "Core: IO_MEM, IO_PORT, IRQ").
 *
 * IO_MEM  args "base=A, size=S" (page aligned, device memory only, i.e.
 *         not RAM), optional "wc=yes" (write-combined, else uncached)
 *   IO_MEM_DATASPACE  -> cap: dataspace of the range; w0 size, w1 base
 *
 * IO_PORT args "base=P, size=N" (ports P..P+N-1, within 0..0xffff; never
 *         COM1 0x3f8..0x3ff, the kernel console)
 *   IO_PORT_CAP  -> cap: the kernel I/O port capability for the range
 *                   (IOPORT_IN/OUT invocations on it, argil/kernel.h)
 *   IO_PORT_IN   w0 port, w1 width (1, 2, 4) -> w0 value
 *   IO_PORT_OUT  w0 port, w1 width, w2 value
 *
 * IRQ     args "irq=N" (IOAPIC GSI 0..63), optional "trigger=level|edge"
 *         (default edge), "polarity=high|low" (default high); or
 *         "type=msi" (core picks a free MSI vector)
 *   IRQ_SIGH  cap: notification signalled for each interrupt (no cap:
 *             none). An IOAPIC line stays masked after each interrupt
 *             until IRQ_ACK.
 *   IRQ_ACK   unmask after handling
 *   IRQ_INFO  -> w0 0 (IOAPIC) or 1 (MSI), w1 GSI or MSI number,
 *                w2 MSI address, w3 MSI data
 *
 * DMA     no args (route it only to the platform driver: it tells where
 *         RAM is, which a DMA-capable device could then overwrite)
 *   DMA_PHYS  cap: a RAM dataspace (anyone's), w0 offset (page aligned,
 *             within it; 0 when absent) -> w0 physical address of that
 *             page; w1 bytes from there that are physically contiguous
 *             (to the end of the dataspace for RAM_CONTIGUOUS). Not a RAM
 *             dataspace INVALID_CAP, a bad offset INVALID_ARGUMENT.
 */
#ifndef ARGIL_IO_H
#define ARGIL_IO_H

#include <argil/rpc_gen.h>

#define IO_MEM_RPC(OP, OPS)                                                             \
	OP(io_mem_dataspace, IO_MEM_DATASPACE, 1, (), ((CAP, ds), (WORD, size), (WORD, base)))
RPC_INTERFACE(io_mem, IO_MEM_RPC);

#define DMA_RPC(OP, OPS)                                                                \
	OP(dma_phys, DMA_PHYS, 1, ((CAP, ds), (WORD, offset)), ((WORD, phys), (WORD, contiguous)))
RPC_INTERFACE(dma, DMA_RPC);

#define IO_PORT_RPC(OP, OPS)                                                            \
	OP(io_port_cap, IO_PORT_CAP, 1, (), ((CAP, cap)))                               \
	OP(io_port_in, IO_PORT_IN, 2, ((WORD, port), (WORD, width)), ((WORD, value)))   \
	OP(io_port_out, IO_PORT_OUT, 3, ((WORD, port), (WORD, width), (WORD, value)), ())
RPC_INTERFACE(io_port, IO_PORT_RPC);

#define IRQ_RPC(OP, OPS)                                                                \
	OP(irq_sigh, IRQ_SIGH, 1, ((CAP, ntfn)), ())                                    \
	OP(irq_ack, IRQ_ACK, 2, (), ())                                                 \
	OP(irq_info, IRQ_INFO, 3, (),                                                   \
	   ((WORD, type), (WORD, number), (WORD, msi_addr), (WORD, msi_data)))
RPC_INTERFACE(irq, IRQ_RPC);

#endif
