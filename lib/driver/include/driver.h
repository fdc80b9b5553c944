/*
 * The driver kit (lib/driver, LIBS := driver; docs/devices.md): a
 * device acquired through the Platform session, its registers (MMIO BARs
 * and I/O port ranges as struct reg_io, driver_reg.h), its interrupts
 * (wait and ack), its configuration space, and DMA memory (single
 * buffers and pools of them). The virtio transport is virtio_pci.h.
 *
 * Errors are rpc_status_t from the Platform session or the kit's own
 * checks (RPC_E_INVALID_ARGUMENT for a bad index or size, RPC_E_UNAVAILABLE
 * for what the device does not have).
 */
#ifndef DRIVER_H
#define DRIVER_H

#include <argil/rpc.h>
#include <driver_reg.h>
#include <platform_session.h>
#include <stdbool.h>
#include <stddef.h>

struct drv_device {
	struct platform_connection *plat;
	word_t handle;
	char name[PLATFORM_NAME_MAX];
};

/* The name of the first device of the session's devices report whose
 * vendor and product are one of the pairs given (n pairs), into name. */
struct drv_id {
	uint16_t vendor, product;
};
rpc_status_t drv_device_find(struct platform_connection *p, const struct drv_id *ids, unsigned n,
			     char *name, size_t size);
/* The same, waiting (PLATFORM_DEVICES_SIGH) until such a device appears
 * in the report (the devices report may come after the driver starts).
 * The waits of these calls dispatch the component's entrypoint meanwhile
 * (ep_dispatch_one: the parent's heartbeats are answered), so call them
 * from the entrypoint's thread, not from inside a request's handler. */
rpc_status_t drv_device_find_wait(struct platform_connection *p, const struct drv_id *ids,
				  unsigned n, char *name, size_t size);
/* Every device of the report with one of the n ids, at most max, their
 * names into names (a driver of several devices, once one is there);
 * *found how many. RPC_E_NOT_FOUND when there is none. */
rpc_status_t drv_device_find_all(struct platform_connection *p, const struct drv_id *ids,
				 unsigned n, char names[][PLATFORM_NAME_MAX], unsigned max,
				 unsigned *found);
/* The same, also waiting until the device's interrupt is known (MSI,
 * MSI-X, or a legacy pin the acpi report routes): for drivers that may
 * end up on the legacy line. */
rpc_status_t drv_device_find_routed_wait(struct platform_connection *p, const struct drv_id *ids,
					 unsigned n, char *name, size_t size);
/* The same by PCI class code (24 bits: class, subclass, programming
 * interface, e.g. 0x010601 for AHCI), waiting until one appears. */
rpc_status_t drv_device_find_class_wait(struct platform_connection *p, uint32_t cls, char *name,
					size_t size);
/* Wait until the session's devices report names a device name (an ISA
 * device such as "ps2", or "bb:dd.f"). */
rpc_status_t drv_device_wait_named(struct platform_connection *p, const char *name);
/* Acquire the device called name ("bb:dd.f" or an ISA name). */
rpc_status_t drv_device_acquire(struct drv_device *d, struct platform_connection *p,
				const char *name);
/* Release it (bus mastering off, its interrupts and I/O closed). */
void drv_device_release(struct drv_device *d);

/* A register block attached in our address space (BAR index). */
struct drv_mmio {
	struct reg_io io;        /* io.mmio: the block's first register */
	cptr_t ds;
	word_t attached;         /* start of the attachment */
	word_t size;             /* of the block */
};
rpc_status_t drv_mmio_map(struct drv_device *d, unsigned bar, unsigned flags, struct drv_mmio *m);
void drv_mmio_unmap(struct drv_mmio *m);

/* An I/O port range (bar index, ISA: <io> index). */
struct drv_ports {
	struct reg_io io;
	word_t base, size;
};
rpc_status_t drv_ports_get(struct drv_device *d, unsigned index, struct drv_ports *p);
void drv_ports_put(struct drv_ports *p);

/* Configuration space of the acquired device; reads of a refused access
 * give all ones of the width. */
uint32_t drv_config_read(struct drv_device *d, unsigned offset, unsigned width);
rpc_status_t drv_config_write(struct drv_device *d, unsigned offset, unsigned width,
			      uint32_t value);

/* ---- interrupts ---- */

/* Interrupt index of a device (MSI-X/MSI vector, legacy or ISA line).
 * With sigh (a notification capability, e.g. a signal handler's) it is
 * signalled there; with sigh 0 the kit makes a notification of its own,
 * for drv_irq_wait. kind: PLATFORM_IRQ_LEGACY, _MSI or _MSIX. */
struct drv_irq {
	struct drv_device *dev;
	word_t index;
	word_t kind;
	cptr_t ntfn;             /* our own (sigh 0), else 0 */
	word_t ntfn_handle;
};
rpc_status_t drv_irq_open(struct drv_irq *irq, struct drv_device *d, unsigned index, cptr_t sigh);
/* Block until the interrupt (own notification only). */
void drv_irq_wait(struct drv_irq *irq);
/* Interrupt handled: the line or vector may fire again. */
rpc_status_t drv_irq_ack(struct drv_irq *irq);
/* Free our own notification (the interrupt itself closes with the device). */
void drv_irq_close(struct drv_irq *irq);

/* ---- DMA ---- */

/* One DMA buffer: physically contiguous, attached, with the address the
 * device must use. The session is upgraded by PLATFORM_DMA_COST first. */
struct dma_buf {
	cptr_t ds;
	uint8_t *virt;
	uint64_t dev;
	size_t size;
};
rpc_status_t dma_buf_alloc(struct platform_connection *p, size_t size, unsigned flags,
			   struct dma_buf *b);
void dma_buf_free(struct platform_connection *p, struct dma_buf *b);

/* A pool: one DMA buffer carved into runs of blocks (portable allocator,
 * block_alloc.c). Pieces are aligned to the block size. */
#define BLOCK_ALLOC_MAX 1024
struct block_alloc {
	uint32_t block, nblocks;
	uint64_t used[BLOCK_ALLOC_MAX / 64], last[BLOCK_ALLOC_MAX / 64];
};
/* block: a power of two >= 16; size / block <= BLOCK_ALLOC_MAX */
bool block_alloc_init(struct block_alloc *a, size_t size, uint32_t block);
/* offset of a run of size bytes, or -1 */
long block_alloc_get(struct block_alloc *a, size_t size);
/* false if offset is no run's start */
bool block_alloc_put(struct block_alloc *a, size_t offset);

struct dma_pool {
	struct platform_connection *plat;
	struct dma_buf buf;
	struct block_alloc blocks;
};
rpc_status_t dma_pool_init(struct dma_pool *pool, struct platform_connection *p, size_t size,
			   uint32_t block, unsigned flags);
void dma_pool_fini(struct dma_pool *pool);
/* size bytes of the pool (NULL: none left); *dev its device address */
void *dma_pool_alloc(struct dma_pool *pool, size_t size, uint64_t *dev);
/* false if virt is not a piece of the pool */
bool dma_pool_free(struct dma_pool *pool, void *virt);

#endif
