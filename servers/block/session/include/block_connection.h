/*
 * The session library of the Block interfaces (block_session.h, library
 * block_session): both ends that are not the multiplexer.
 *
 * Clients of a Block session (file systems, fs_tool, tests):
 *   block_connect     the session through the parent, the stream attached,
 *                     the signal capabilities exchanged, BLOCK_INFO read
 *   block_submit / block_get_ack   one request at a time or many in flight
 *   block_read / block_write / block_sync / block_trim   synchronous helpers
 *                     that copy through the payload area (any length: cut
 *                     into requests that fit)
 *
 * Disk drivers, clients of a Block_driver session (virtio_blk, ahci, nvme):
 *   blkdrv_connect    the session, BLKDRV_ANNOUNCE, the stream the driver
 *                     allocated (normally a DMA buffer) formatted and handed
 *                     over, the signal capabilities exchanged
 *   blkdrv_next       the next request, checked (opcode, whole blocks on the
 *                     disk, at most max_request); a bad one is acknowledged
 *                     here with its error and never reaches the driver
 *   blkdrv_ack        a request done (acks the full ring refused wait in
 *                     the connection: blkdrv_flush on the next signal)
 *   blkdrv_serve      the loop helper for a driver that does one request at
 *                     a time: take, let the driver do it, acknowledge
 *
 * Waiting: each connection registers one notification for both conditions
 * it waits for. The caller passes a signal handler's capability (an
 * event-driven component: it calls the non-blocking functions from its
 * handler), or 0: then the library makes a signal handler of its own on
 * the component's entrypoint and the blocking helpers wait on it.
 *
 * Trust: the multiplexer is trusted for the data, not for the stream: its
 * descriptors and indices are checked by the packet stream, the dataspace's
 * real size is what counts, and a driver refuses requests beyond the disk
 * whatever the multiplexer says.
 */
#ifndef BLOCK_CONNECTION_H
#define BLOCK_CONNECTION_H

#include <argil/entrypoint.h>
#include <argil/packet_stream.h>
#include <argil/parent.h>
#include <block_session.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A helper's result beyond the acknowledgement statuses (PS_STATUS_*,
 * BLOCK_STATUS_*): the stream is broken or the request was malformed on
 * our side. */
#define BLOCK_STATUS_STREAM 32
#define BLOCK_STATUS_INVALID 33

const char *block_status_name(unsigned status);

/* ---- Block (client) ---- */

struct block_connection {
	struct parent_conn pc;
	cptr_t ds;
	uint8_t *mem;
	word_t size;
	struct ps_source src;
	struct ps_caps peer;             /* the server's notifications */
	struct signal_handler sig;       /* own (sigh 0) */
	bool own_sig;
	uint32_t block_size;
	uint64_t count;                  /* blocks */
	word_t flags;                    /* BLOCK_WRITABLE, BLOCK_TRIM */
	uint32_t max_io;                 /* the largest request the helpers make */
	uint64_t tag;
};

/* Open a Block session labelled label with a stream of size bytes (0:
 * BLOCK_STREAM_DEFAULT) and slots slots per ring (0: the server's
 * default). sigh: the notification for PS_ACK_READY and
 * PS_SUBMIT_SLOT_FREE (0: the library's own). BLOCK_INFO may take until
 * the multiplexer knows the disk. */
rpc_status_t block_connect(struct block_connection *c, const char *label, word_t size,
			   word_t slots, cptr_t sigh);
void block_disconnect(struct block_connection *c);

/* Non-blocking: allocate a packet of n blocks (PS_E_NO_SPACE: wait for
 * acks), submit (PS_E_FULL: wait), take an acknowledgement (PS_E_EMPTY). */
ps_error_t block_alloc(struct block_connection *c, uint32_t nblocks, struct ps_desc *d);
ps_error_t block_submit(struct block_connection *c, struct ps_desc *d, unsigned op,
			uint64_t block);
ps_error_t block_get_ack(struct block_connection *c, struct ps_desc *d);
void *block_payload(struct block_connection *c, const struct ps_desc *d);
void block_free(struct block_connection *c, const struct ps_desc *d);

/* Blocking (own notification only): wait for the next signal. */
void block_wait(struct block_connection *c);

/* Synchronous helpers (own notification only): the status of the first
 * request that failed, else PS_STATUS_OK. */
unsigned block_read(struct block_connection *c, uint64_t block, uint64_t nblocks, void *buf);
unsigned block_write(struct block_connection *c, uint64_t block, uint64_t nblocks,
		     const void *buf);
unsigned block_sync(struct block_connection *c);
unsigned block_trim(struct block_connection *c, uint64_t block, uint64_t nblocks);

/* ---- Block_driver (disk drivers) ---- */

#define BLKDRV_PENDING 256

struct blkdrv_args {
	const char *label;               /* session label ("" is usual) */
	const char *disk;                /* the driver's name for the disk */
	uint32_t block_size;
	uint64_t count;
	word_t flags;                    /* BLOCK_WRITABLE, BLOCK_TRIM */
	uint32_t max_request;            /* bytes, 0: the payload area */
	cptr_t ds;                       /* the stream's dataspace (the driver's) */
	void *mem;                       /* where it is attached */
	size_t size;                     /* its real size */
	uint64_t dev;                    /* device address of mem (contiguous) */
	uint32_t slots;                  /* per ring, a power of two */
	cptr_t sigh;                     /* for PS_SUBMIT_READY and PS_ACK_SLOT_FREE */
};

struct blkdrv_request {
	struct ps_desc d;                /* as taken (tag, opcode, offset, size) */
	unsigned op;                     /* enum block_opcode */
	uint64_t block, count;           /* count 0 for SYNC */
	void *payload;                   /* READ/WRITE: the data (NULL otherwise) */
	uint64_t dev;                    /* its device address */
};

struct blkdrv_connection {
	struct parent_conn pc;
	struct ps_sink sink;
	struct ps_caps peer;             /* the multiplexer's notifications */
	uint8_t *mem;
	uint64_t dev;
	uint32_t block_size, max_request;
	uint64_t count;
	word_t flags;
	unsigned taken;                  /* given to the driver, not yet acknowledged */
	struct ps_desc pending[BLKDRV_PENDING];  /* acks the ring had no room for */
	unsigned phead, npending;
	bool dead;                       /* the stream broke (PS_E_CORRUPT) */
};

/* Open the session for disk (a name as BLKDRV's "disk=" argument) through
 * the parent. Do it BEFORE opening the Platform session whenever the disk
 * is known in advance: a parent closes a dead driver's sessions in the
 * order they were opened, and the multiplexer must lose the session
 * before platform frees the DMA buffer that holds the stream. */
rpc_status_t blkdrv_open(struct blkdrv_connection *c, const char *label, const char *disk);
/* Announce the disk, format and hand over the stream, exchange signals
 * (a->label and a->disk are not used: blkdrv_open had them). */
rpc_status_t blkdrv_start(struct blkdrv_connection *c, const struct blkdrv_args *a);
/* Both in one. */
rpc_status_t blkdrv_connect(struct blkdrv_connection *c, const struct blkdrv_args *a);
void blkdrv_disconnect(struct blkdrv_connection *c);

/* The next request to do, checked; false when there is none (or too many
 * acknowledgements wait for room: call again after the next signal). */
bool blkdrv_next(struct blkdrv_connection *c, struct blkdrv_request *r);
/* Request r done with status (PS_STATUS_OK or PS_STATUS_ERROR). */
void blkdrv_ack(struct blkdrv_connection *c, const struct blkdrv_request *r, unsigned status);
/* Push waiting acknowledgements into the ring (call on each signal). */
void blkdrv_flush(struct blkdrv_connection *c);

/* The loop helper for a driver that does one request at a time: flush,
 * take every request there is, call fn on each and acknowledge it with
 * the status fn returns. Returns how many were done. */
typedef unsigned (*blkdrv_fn)(void *arg, struct blkdrv_request *r);
unsigned blkdrv_serve(struct blkdrv_connection *c, blkdrv_fn fn, void *arg);

#endif
