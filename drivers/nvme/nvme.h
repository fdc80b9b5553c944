/*
 * The NVMe controller (nvme.c): reset and enable, the admin queue (its
 * commands polled), IDENTIFY of the controller and of every active
 * namespace, one I/O queue pair on an MSI-X vector, and READ, WRITE,
 * FLUSH and DSM deallocate commands with several in flight.
 *
 * Data are given as device addresses of physically contiguous memory
 * (a Platform DMA buffer: the Block_driver stream's payload); the
 * controller builds the PRP entries, with a PRP list per command slot
 * for transfers over two pages.
 *
 * Trusts the platform driver; the device only as far as it must: a
 * completion naming no command in flight, or a controller fatal status,
 * makes the controller `broken` (every later request fails).
 */
#ifndef NVME_H
#define NVME_H

#include <driver.h>
#include <timer_session.h>
#include "nvme_reg.h"

#define NVME_NS_MAX 16          /* namespaces driven */
#define NVME_IO_DEPTH 64        /* I/O queue entries (at most; CAP.MQES bounds it) */
#define NVME_ADMIN_DEPTH 16
#define NVME_MAX_TRANSFER (1u << 20)   /* bytes per command, before MDTS */
#define NVME_PRP_LIST 2048u     /* bytes of PRP list per slot: 256 entries */

struct nvme_queue {
	volatile struct nvme_sqe *sq;
	volatile struct nvme_cqe *cq;
	uint64_t sq_dev, cq_dev;
	uint16_t id, depth;
	uint16_t sq_tail, cq_head;
	uint8_t phase;           /* the phase tag of entries not yet seen */
};

struct nvme_ns {
	uint32_t nsid;
	uint64_t blocks;
	uint32_t block_size;
	uint8_t lba_shift;
};

/* A command in flight in a slot (its CID is the slot's index). */
struct nvme_slot {
	bool busy;
	uint8_t opc;
	uint32_t nsid;
	uint64_t lba;
	uint32_t nblocks;
	void *cookie;
};

/* An I/O request: ns is an index into nvme.ns; dev the device address
 * of bytes nblocks << lba_shift (READ, WRITE; DSM and FLUSH take none). */
struct nvme_request {
	uint8_t opc;             /* NVME_IO_READ, _WRITE, _FLUSH, _DSM */
	unsigned ns;
	uint64_t lba;
	uint32_t nblocks;
	uint64_t dev;
	void *cookie;
};

struct nvme {
	struct drv_device *dev;
	struct timer_connection *timer;
	struct drv_mmio bar;
	uint64_t cap;
	uint32_t version;
	unsigned stride;          /* doorbell stride in bytes */
	uint32_t ready_ms;        /* CAP.TO */
	struct dma_buf ctrl;      /* queues, identify page, DSM ranges */
	struct dma_buf prp;       /* a PRP list per slot */
	struct nvme_queue admin, io;
	struct drv_irq irq;       /* the I/O queue's interrupt */
	unsigned vector;          /* its MSI-X vector (0 without MSI-X) */
	uint16_t admin_cid;
	char serial[21], model[41], firmware[9];
	uint32_t nn;              /* namespaces the controller has */
	uint16_t oncs;
	bool vwc;                 /* a volatile write cache */
	uint32_t max_transfer;    /* bytes per command */
	struct nvme_ns ns[NVME_NS_MAX];
	unsigned nns;
	struct nvme_slot slot[NVME_IO_DEPTH];
	unsigned slots, inflight;
	unsigned unrung;          /* submitted since the doorbell was rung */
	bool broken;
	const char *error;        /* what failed, for the caller's log line */
};

enum nvme_submit_result {
	NVME_SUBMITTED = 0,
	NVME_BUSY = 1,            /* every slot in flight: submit again after a completion */
	NVME_INVALID = 2,         /* out of the namespace, too large, unaligned, or broken */
};

/* Map BAR0, reset and enable the controller, identify it and its active
 * namespaces, create the I/O queue pair. The I/O interrupt goes to sigh
 * (a signal handler's capability), or with sigh 0 to a notification of
 * the kit's own (nvme_wait). On failure c->error says what. */
rpc_status_t nvme_init(struct nvme *c, struct drv_device *dev, struct timer_connection *t,
		       cptr_t sigh);
/* Disable the controller after a normal shutdown notification. */
void nvme_shutdown(struct nvme *c);
/* Give back what nvme_init took (the controller disabled, BAR0 unmapped,
 * the DMA buffers freed, our interrupt notification freed); the device
 * stays acquired. */
void nvme_fini(struct nvme *c);

/* Put a command into the I/O queue; the device sees it after nvme_kick
 * (call it once after a burst). */
enum nvme_submit_result nvme_submit(struct nvme *c, const struct nvme_request *r);
void nvme_kick(struct nvme *c);
/* Take every new completion: done(arg, cookie, status) per command
 * (status 0: success, else the CQE's status field, logged). The number
 * taken. */
typedef void (*nvme_done_fn)(void *arg, void *cookie, uint16_t status);
unsigned nvme_reap(struct nvme *c, nvme_done_fn done, void *arg);
/* The I/O interrupt handled (after nvme_reap). */
void nvme_irq_ack(struct nvme *c);
/* Block until the I/O interrupt (sigh 0 only). */
void nvme_wait(struct nvme *c);

#endif
