/*
 * Serving the namespaces to the block multiplexer (serve.h): one
 * Block_driver session per namespace, disk nvme0n<nsid>, opened before
 * the Platform session that holds the streams' DMA buffers (main.c says
 * why). Each session's
 * stream is a DMA buffer of ours, so READ and WRITE move the payload
 * straight between the device and the stream (the request's device
 * address is the buffer's plus the payload offset); SYNC is a FLUSH of
 * the namespace, TRIM a DSM deallocate where ONCS offers it.
 *
 * Event-driven: the I/O interrupt and the streams' signals (one handler
 * for all streams) both end in pump(), which acknowledges what the
 * controller completed and submits what the streams hold, round robin
 * over the disks, while command slots are free. A request taken from a
 * stream while every slot was busy waits in its disk (`held`).
 *
 * Requests come checked by the session library (opcode, whole blocks on
 * the disk, at most the announced size); the controller checks again.
 */
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <block_connection.h>
#include "serve.h"

#define STREAM_SLOTS 64

struct disk {
	uint32_t nsid;
	unsigned ns;                     /* index into nvme.ns */
	char name[BLOCK_DISK_NAME_MAX];
	struct dma_buf stream;
	struct blkdrv_connection conn;
	struct blkdrv_request held;
	bool has_held;
	bool dead;                       /* the session is gone or its stream broke */
};

/* A request handed to the controller (the command's cookie). */
struct job {
	struct disk *disk;
	struct blkdrv_request r;
	bool used;
};

static struct nvme *ctrl;
static struct disk disks[NVME_NS_MAX];
static unsigned ndisks, next_disk;
static struct job jobs[NVME_IO_DEPTH];
static struct signal_handler stream_sig;

static void done(void *arg, void *cookie, uint16_t status)
{
	struct job *j = cookie;

	(void)arg;
	/* the controller already logged a failure with its status */
	blkdrv_ack(&j->disk->conn, &j->r, status ? PS_STATUS_ERROR : PS_STATUS_OK);
	j->used = false;
}

static struct job *job_get(void)
{
	for (unsigned i = 0; i < NVME_IO_DEPTH; i++)
		if (!jobs[i].used)
			return &jobs[i];
	return 0;
}

/* Hand r of d to the controller: false if every slot is busy. */
static bool start(struct disk *d, const struct blkdrv_request *r)
{
	struct job *j = job_get();
	struct nvme_request q = { 0 };

	if (!j)
		return false;
	q.ns = d->ns;
	q.lba = r->block;
	q.nblocks = (uint32_t)r->count;
	q.dev = r->dev;
	q.cookie = j;
	switch (r->op) {
	case BLOCK_OP_READ: q.opc = NVME_IO_READ; break;
	case BLOCK_OP_WRITE: q.opc = NVME_IO_WRITE; break;
	case BLOCK_OP_SYNC: q.opc = NVME_IO_FLUSH; break;
	case BLOCK_OP_TRIM: q.opc = NVME_IO_DSM; break;
	default:
		blkdrv_ack(&d->conn, r, PS_STATUS_BAD_OPCODE);
		return true;
	}
	j->disk = d;
	j->r = *r;
	j->used = true;
	switch (nvme_submit(ctrl, &q)) {
	case NVME_SUBMITTED:
		return true;
	case NVME_BUSY:
		j->used = false;
		return false;
	case NVME_INVALID:
		break;
	}
	j->used = false;
	log("error: %s: request op %u of %lu blocks at %lu refused by the controller%s", d->name,
	    r->op, (unsigned long)r->count, (unsigned long)r->block,
	    ctrl->broken ? " (controller broken)" : "");
	blkdrv_ack(&d->conn, r, PS_STATUS_ERROR);
	return true;
}

/* Take and submit from d's stream until it is empty or the slots are
 * full; false when the slots are full. */
static bool feed(struct disk *d)
{
	if (d->dead)
		return true;
	if (d->has_held) {
		if (!start(d, &d->held))
			return false;
		d->has_held = false;
	}
	while (blkdrv_next(&d->conn, &d->held)) {
		if (!start(d, &d->held)) {
			d->has_held = true;
			return false;
		}
	}
	if (d->conn.dead) {
		log("error: %s: the stream broke: the disk is not served any more", d->name);
		d->dead = true;
	}
	return true;
}

static void pump(void)
{
	nvme_reap(ctrl, done, 0);
	for (unsigned i = 0; i < ndisks; i++)
		if (!disks[i].dead)
			blkdrv_flush(&disks[i].conn);
	/* round robin: the disk after the one that filled the slots last
	 * comes first */
	for (unsigned k = 0; k < ndisks; k++) {
		unsigned i = (next_disk + k) % ndisks;
		if (!feed(&disks[i])) {
			next_disk = (i + 1) % ndisks;
			break;
		}
	}
	nvme_kick(ctrl);
}

void nvme_serve_irq(void *arg)
{
	struct nvme *c = arg;

	if (!ctrl) {
		/* before nvme_serve: nothing of ours can be in flight */
		nvme_irq_ack(c);
		return;
	}
	nvme_reap(ctrl, done, 0);
	nvme_irq_ack(ctrl);
	/* completions posted before the acknowledgement raised no new
	 * interrupt we could see */
	pump();
}

static void on_stream(void *arg)
{
	(void)arg;
	pump();
}

rpc_status_t nvme_serve_open(const struct nvme *c, const char *name)
{
	for (unsigned i = 0; i < c->nns; i++) {
		struct disk *d = &disks[ndisks];
		d->nsid = c->ns[i].nsid;
		snprintf(d->name, sizeof(d->name), "%sn%u", name, d->nsid);
		rpc_status_t st = blkdrv_open(&d->conn, "", d->name);
		if (st != RPC_OK) {
			log("error: %s: no Block_driver session: %s", d->name, rpc_status_name(st));
			continue;
		}
		ndisks++;
	}
	return ndisks ? RPC_OK : RPC_E_UNAVAILABLE;
}

rpc_status_t nvme_serve_start(struct nvme *c, struct entrypoint *ep, size_t stream)
{
	unsigned started = 0;
	rpc_status_t st;

	ctrl = c;
	st = signal_handler_init(ep, &stream_sig, on_stream, 0);
	if (st != RPC_OK)
		return st;
	for (unsigned k = 0; k < ndisks; k++) {
		struct disk *d = &disks[k];
		struct nvme_ns *ns = 0;
		for (unsigned i = 0; i < c->nns && !ns; i++)
			if (c->ns[i].nsid == d->nsid) {
				ns = &c->ns[i];
				d->ns = i;
			}
		d->dead = true;
		if (!ns) {
			log("error: %s: the namespace went away since the controller was first asked",
			    d->name);
			continue;
		}
		st = dma_buf_alloc(c->dev->plat, stream, 0, &d->stream);
		if (st != RPC_OK) {
			log("error: %s: no DMA buffer of %lu bytes for the stream: %s", d->name,
			    (unsigned long)stream, rpc_status_name(st));
			continue;
		}
		uint32_t max = c->max_transfer;
		if ((uint64_t)max > (uint64_t)0x10000 * ns->block_size)
			max = 0x10000 * ns->block_size;
		struct blkdrv_args a = {
			.block_size = ns->block_size,
			.count = ns->blocks,
			.flags = BLOCK_WRITABLE | (c->oncs & NVME_ONCS_DSM ? BLOCK_TRIM : 0),
			.max_request = max,
			.ds = d->stream.ds,
			.mem = d->stream.virt,
			.size = d->stream.size,
			.dev = d->stream.dev,
			.slots = STREAM_SLOTS,
			.sigh = stream_sig.cap,
		};
		st = blkdrv_start(&d->conn, &a);
		if (st != RPC_OK) {
			log("error: %s: the Block_driver session refused the disk: %s", d->name,
			    rpc_status_name(st));
			continue;
		}
		d->dead = false;
		started++;
		log("%s: served, %lu blocks of %u bytes, stream %lu KiB, requests up to %u KiB%s", d->name,
		    (unsigned long)ns->blocks, ns->block_size, (unsigned long)d->stream.size / 1024,
		    d->conn.max_request / 1024, a.flags & BLOCK_TRIM ? ", trim" : "");
	}
	if (!started)
		return RPC_E_UNAVAILABLE;
	/* requests may have come before the handlers ran */
	pump();
	return RPC_OK;
}
