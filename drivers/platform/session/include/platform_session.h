/*
 * The Platform session (drivers/platform, docs/devices.md "The Platform
 * session"): a driver's access to the devices its policy names (by the
 * session's label, in the platform driver's config ROM), and, for acpi
 * and pci_decode (policy pci_config="yes"), raw PCI configuration space.
 * Client code: drivers/platform/session/platform_session.c (the library
 * platform_session, LIBS := platform_session).
 *
 *   PLATFORM_DEVICES       -> cap: read-only dataspace holding a <devices>
 *                          report (docs/devices.md format) of the devices
 *                          this session may see, w0 size of the text,
 *                          w1 version (changes with every new content)
 *   PLATFORM_DEVICES_SIGH  cap: notification signalled when the content
 *                          changes (no cap: none)
 *   PLATFORM_ACQUIRE       str name ("bb:dd.f" or an ISA name) -> w0
 *                          device handle; enables memory/IO decoding and
 *                          bus mastering. RPC_E_BUSY: another session holds
 *                          it; RPC_E_DENIED: the policy does not name it (an
 *                          unknown name too); acquiring a device the session
 *                          holds already gives the same handle.
 *   PLATFORM_RELEASE       w0 handle: bus mastering off, FLR where the
 *                          device has it, its IRQ closed, its I/O sessions
 *                          closed (the capabilities given out stop working).
 *                          The same happens on session close / client death.
 *   PLATFORM_IO_MEM        w0 handle, w1 bar index (ISA: <mem> index), w2
 *                          flags (PLATFORM_WC) -> cap: I/O-memory dataspace
 *                          of the pages holding the range, w0 size of the
 *                          range, w1 offset of the range in the dataspace
 *   PLATFORM_IO_PORT       w0 handle, w1 bar index (ISA: <io> index) ->
 *                          cap: kernel I/O port cap for exactly the range
 *                          (ioport_in8 .. ioport_out32 on it), w0 base,
 *                          w1 size
 *   PLATFORM_IRQ           w0 handle, w1 index (MSI-X/MSI vector, legacy 0;
 *                          ISA: <irq> index), cap: notification -> w0
 *                          kind (PLATFORM_IRQ_LEGACY, _MSI, _MSIX). The
 *                          notification is signalled for each interrupt;
 *                          the vector stays masked until PLATFORM_IRQ_ACK.
 *   PLATFORM_IRQ_ACK       w0 handle, w1 index: interrupt handled (a shared
 *                          legacy line is unmasked once every holder acked)
 *   PLATFORM_DMA_ALLOC     w0 size (> 0, rounded up to pages), w1 flags
 *                          (PLATFORM_DMA_BELOW_4G) -> cap: RAM dataspace
 *                          (physically contiguous), w0 device address (the
 *                          IOVA in the session's IOMMU domain, else the
 *                          physical address). Paid from the session's
 *                          donation (upgrade the session):
 *                          RPC_E_NO_RAM_QUOTA when it is spent.
 *   PLATFORM_DMA_FREE      w0 device address of a buffer of this session
 *   PLATFORM_CONFIG_READ   w0 handle, w1 offset, w2 width (1, 2, 4; offset
 *                          aligned to it, below 256, or 4096 with ECAM) ->
 *                          w0 value
 *   PLATFORM_CONFIG_WRITE  w0 handle, w1 offset, w2 width, w3 value; the
 *                          command register's bus-master/decode bits, the
 *                          BARs, the expansion ROM BAR, the capability
 *                          pointer and the MSI/MSI-X capabilities are
 *                          platform's: RPC_E_DENIED
 *   PLATFORM_PCI_CONFIG_READ  w0 bdf (bus << 8 | dev << 3 | fn), w1 offset,
 *                          w2 width -> w0 value (absent functions read as
 *                          all ones, as on the bus)
 *   PLATFORM_PCI_CONFIG_WRITE w0 bdf, w1 offset, w2 width, w3 value
 *                          (both only with policy pci_config="yes", else
 *                          RPC_E_DENIED)
 *   PLATFORM_HOTPLUG_SIGH  cap: notification signalled whenever a hot-plug
 *                          slot's card came (powered on, its BARs given
 *                          addresses) or went (its devices released and
 *                          hidden, the slot powered off): walk the bus
 *                          again. Only with policy pci_config="yes".
 *
 * Every operation on a handle the session does not hold, an index the
 * device does not have, a width, offset or flag out of range is
 * RPC_E_INVALID_ARGUMENT; nothing changes then.
 *
 * Session arguments: none. Quota: at least PLATFORM_SESSION_RAM and
 * PLATFORM_SESSION_CAPS; each DMA buffer needs PLATFORM_DMA_COST(size) bytes
 * and one capability of it (14 buffers fit the least donation's caps).
 * A label no policy matches is RPC_E_DENIED at session creation.
 */
#ifndef PLATFORM_SESSION_H
#define PLATFORM_SESSION_H

#include <argil/rpc_gen.h>
#include <stdint.h>

#define PLATFORM_SERVICE "Platform"
#define PLATFORM_SESSION_RAM (16 * 1024)
#define PLATFORM_SESSION_CAPS 16
#define PLATFORM_NAME_MAX 32

/* PLATFORM_IO_MEM flags */
#define PLATFORM_WC 0x1u                /* write-combined (else uncached) */
/* PLATFORM_IRQ kinds */
#define PLATFORM_IRQ_LEGACY 0
#define PLATFORM_IRQ_MSI 1
#define PLATFORM_IRQ_MSIX 2
/* PLATFORM_DMA_ALLOC flags */
#define PLATFORM_DMA_BELOW_4G 0x1u

/* What a DMA buffer of size bytes costs the session's donation: the
 * RAM itself and the platform driver's bookkeeping (IOMMU page tables
 * included). Upgrade the session by this before allocating. */
#define PLATFORM_DMA_COST(size) (2 * ((((word_t)(size) + 4095) / 4096) * 4240) + 20480)

/* bdf of PLATFORM_PCI_CONFIG_*: bus 0..255, device 0..31, function 0..7 */
#define PLATFORM_BDF(bus, dev, fn) (((word_t)(bus) << 8) | ((word_t)(dev) << 3) | (word_t)(fn))

#define PLATFORM_RPC(OP, OPS)                                                           \
	OP(platform_devices, PLATFORM_DEVICES, 1, (),                                   \
	   ((CAP, ds), (WORD, size), (WORD, version)))                                  \
	OP(platform_devices_sigh, PLATFORM_DEVICES_SIGH, 2, ((CAP, ntfn)), ())          \
	OP(platform_acquire, PLATFORM_ACQUIRE, 3, ((STR, name, PLATFORM_NAME_MAX)),     \
	   ((WORD, handle)))                                                            \
	OP(platform_release, PLATFORM_RELEASE, 4, ((WORD_REQ, handle)), ())             \
	OP(platform_io_mem, PLATFORM_IO_MEM, 5,                                         \
	   ((WORD_REQ, handle), (WORD_REQ, index), (WORD, flags)),                      \
	   ((CAP, ds), (WORD, size), (WORD, offset)))                                   \
	OP(platform_io_port, PLATFORM_IO_PORT, 6, ((WORD_REQ, handle), (WORD_REQ, index)), \
	   ((CAP, port), (WORD, base), (WORD, size)))                                   \
	OP(platform_irq, PLATFORM_IRQ, 7,                                               \
	   ((WORD_REQ, handle), (WORD_REQ, index), (CAP, ntfn)), ((WORD, kind)))        \
	OP(platform_irq_ack, PLATFORM_IRQ_ACK, 8, ((WORD_REQ, handle), (WORD_REQ, index)), ()) \
	OP(platform_dma_alloc, PLATFORM_DMA_ALLOC, 9, ((WORD_REQ, size), (WORD, flags)), \
	   ((CAP, ds), (WORD, addr)))                                                   \
	OP(platform_dma_free, PLATFORM_DMA_FREE, 10, ((WORD_REQ, addr)), ())            \
	OP(platform_config_read, PLATFORM_CONFIG_READ, 11,                              \
	   ((WORD_REQ, handle), (WORD_REQ, offset), (WORD_REQ, width)), ((WORD, value))) \
	OP(platform_config_write, PLATFORM_CONFIG_WRITE, 12,                            \
	   ((WORD_REQ, handle), (WORD_REQ, offset), (WORD_REQ, width), (WORD_REQ, value)), ()) \
	OP(platform_pci_config_read, PLATFORM_PCI_CONFIG_READ, 13,                      \
	   ((WORD_REQ, bdf), (WORD_REQ, offset), (WORD_REQ, width)), ((WORD, value)))   \
	OP(platform_pci_config_write, PLATFORM_PCI_CONFIG_WRITE, 14,                    \
	   ((WORD_REQ, bdf), (WORD_REQ, offset), (WORD_REQ, width), (WORD_REQ, value)), ()) \
	OP(platform_hotplug_sigh, PLATFORM_HOTPLUG_SIGH, 15, ((CAP, ntfn)), ())
RPC_INTERFACE(platform, PLATFORM_RPC);

/* A Platform session through the component's parent. */
struct platform_connection {
	cptr_t session;
	word_t id;              /* session id at the parent */
};

/* Open a Platform session labelled label, donating ram bytes (at least
 * PLATFORM_SESSION_RAM; 0 means that) and PLATFORM_SESSION_CAPS caps. */
rpc_status_t platform_connect(struct platform_connection *p, const char *label, word_t ram);
/* Donate ram more bytes and caps more capabilities (a DMA buffer costs
 * PLATFORM_DMA_COST(size) bytes and one capability). */
rpc_status_t platform_upgrade(struct platform_connection *p, word_t ram, word_t caps);
/* Close the session (everything acquired is released by the server). */
rpc_status_t platform_disconnect(struct platform_connection *p);

/* Raw configuration space through a session with pci_config="yes";
 * 0xffffffff (all ones of the width) on any error, as an absent device. */
uint32_t platform_pci_read(struct platform_connection *p, unsigned bus, unsigned dev,
			   unsigned fn, unsigned offset, unsigned width);
rpc_status_t platform_pci_write(struct platform_connection *p, unsigned bus, unsigned dev,
				unsigned fn, unsigned offset, unsigned width, uint32_t value);

#endif
