/*
 * The split virtqueue of virtio 1.0 (OASIS virtio v1.0, 2.4): a
 * descriptor table, the available ring (driver -> device) and the used
 * ring (device -> driver) in one DMA buffer. Portable (virtqueue.c, host
 * tested against a model of a device).
 *
 * The device is not trusted (with an IOMMU it cannot reach beyond its
 * buffers; without one it could anyway): a used element naming a
 * descriptor that is not the head of a chain we made available, or a
 * used index that runs ahead of what we made available, is refused
 * (VQ_E_DEVICE) and the queue is dead until it is set up again.
 *
 * One thread at a time per queue.
 */
#ifndef DRIVER_VIRTQUEUE_H
#define DRIVER_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VQ_MAX_SIZE 256          /* queue sizes we use (a power of two up to this) */

#define VQ_DESC_F_NEXT 1
#define VQ_DESC_F_WRITE 2
#define VQ_AVAIL_F_NO_INTERRUPT 1
#define VQ_USED_F_NO_NOTIFY 1

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct vq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vq_used {
	uint16_t flags;
	uint16_t idx;
	struct vq_used_elem ring[];
};

typedef enum vq_error {
	VQ_OK = 0,
	VQ_E_FULL = 1,           /* not enough free descriptors */
	VQ_E_EMPTY = 2,          /* nothing used */
	VQ_E_DEVICE = 3,         /* the device wrote something impossible; queue dead */
	VQ_E_INVALID = 4,        /* the caller's own mistake */
} vq_error_t;

/* One buffer of a request: a device address and length; writable = the
 * device writes it (device-readable buffers come first in a chain). */
struct vq_buf {
	uint64_t addr;
	uint32_t len;
	bool writable;
};

struct virtq {
	uint16_t size;
	uint16_t num_free;
	uint16_t free_head;
	uint16_t avail_idx;      /* our copy: the device never writes it */
	uint16_t last_used;
	bool dead;
	volatile struct vq_desc *desc;
	volatile struct vq_avail *avail;
	volatile struct vq_used *used;
	uint64_t desc_addr, avail_addr, used_addr;   /* device addresses */
	uint16_t next[VQ_MAX_SIZE];                  /* free list, private */
	uint16_t chain_len[VQ_MAX_SIZE];             /* of the chain at a head, 0: free */
	uint32_t room[VQ_MAX_SIZE];                  /* writable bytes of the chain at a head */
	void *cookie[VQ_MAX_SIZE];
};

/* Bytes of the DMA buffer a queue of size entries needs (4 KiB aligned
 * start; descriptor table, avail ring, used ring at their alignments). */
size_t vq_layout_size(uint16_t size);

/* Set up a queue over mem (zeroed here) whose device address is dev. */
vq_error_t vq_init(struct virtq *q, uint16_t size, void *mem, uint64_t dev);

/* Make a chain of n buffers available (device-readable ones first);
 * cookie comes back with its completion. VQ_E_FULL when fewer than n
 * descriptors are free. The device sees it once vq_kick's caller notifies. */
vq_error_t vq_add(struct virtq *q, const struct vq_buf *bufs, unsigned n, void *cookie);

/* Whether the device wants a notification (it may say it does not). */
bool vq_notify_wanted(struct virtq *q);

/* Take the next completion: its cookie and the bytes the device wrote
 * (cut to what the chain's writable buffers hold). */
vq_error_t vq_get_used(struct virtq *q, void **cookie, uint32_t *written);

/* Hand every completion there is to fn(arg, cookie, written), in the
 * order the device used them, until the used ring is empty or fn returns
 * false (the rest stays for a later call): VQ_OK, or VQ_E_DEVICE when
 * the device broke the ring (the completions before it were handed out;
 * the queue is dead). */
typedef bool (*vq_reap_fn)(void *arg, void *cookie, uint32_t written);
vq_error_t vq_reap(struct virtq *q, vq_reap_fn fn, void *arg);

const char *vq_error_name(vq_error_t e);

#endif
