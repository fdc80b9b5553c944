/*
 * The disks to the block multiplexer: one Block_driver session per port
 * with an ATA disk (disk=sata<port>), its stream a DMA buffer of ours so
 * that the HBA moves every request's data straight from and into the
 * stream's payload area (block_connection.h does the checking: opcode,
 * whole blocks on the disk, at most max_request; what reaches us is
 * programmed into the port as it is).
 *
 * The stream is 2 MiB by default (<config stream="..">), so that requests
 * of 1 MiB fit whole; a DMA buffer costs PLATFORM_DMA_COST of the driver's
 * RAM quota (4.4 MB for 2 MiB), and a disk whose stream the quota no
 * longer covers (or for which no contiguous block is free) gets a smaller
 * one (down to 128 KiB, logged).
 *
 * Requests of a disk go into its port's queue (port.c) as they come, up
 * to IO_MAX at a time; each is acknowledged from its completion. A SYNC
 * becomes a FLUSH CACHE (EXT), which the port issues only once everything
 * before it is done and before anything after it, so every write
 * acknowledged before the SYNC is on the medium when the SYNC is
 * acknowledged.
 */
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include "main.h"

#define IO_MAX 64u
#define STREAM_MIN (128u * 1024)

struct disk;

struct io {
	struct ahci_req a;
	struct blkdrv_request r;
	struct disk *disk;
	struct io *next_free;
};

struct disk {
	struct ahci_port *port;
	struct blkdrv_connection c;
	bool started;
	struct dma_buf stream;
	struct io io[IO_MAX];
	struct io *free;
};

static struct disk *disks[AHCI_PORTS_MAX];
static struct signal_handler stream_sig;
static uint64_t stream_size = 2u << 20;
static uint32_t stream_slots = 64;

void ahci_blkdrv_config(const struct cfg_node *cfg)
{
	uint64_t v;

	if (cfg_attr_size(cfg, "stream", stream_size, &v) < 0 || v < 64 * 1024 || v > (16u << 20))
		log("error: config: stream must be a size from 64K to 16M");
	else
		stream_size = v;
	if (cfg_attr_u64(cfg, "slots", stream_slots, &v) < 0 || v < 2 || v > 4096 || (v & (v - 1)))
		log("error: config: slots must be a power of two from 2 to 4096");
	else
		stream_slots = (uint32_t)v;
}

static void io_done(struct ahci_req *a, bool ok)
{
	struct io *io = a->ctx;
	struct disk *d = io->disk;

	blkdrv_ack(&d->c, &io->r, ok ? PS_STATUS_OK : PS_STATUS_ERROR);
	io->next_free = d->free;
	d->free = io;
}

/* Take what the multiplexer submitted, as far as we have room. */
static void pump(struct disk *d)
{
	if (!d->started)
		return;
	blkdrv_flush(&d->c);
	while (d->free) {
		struct io *io = d->free;
		if (!blkdrv_next(&d->c, &io->r))
			break;
		d->free = io->next_free;
		struct ahci_req *a = &io->a;
		*a = (struct ahci_req){ .done = io_done, .ctx = io };
		switch (io->r.op) {
		case BLOCK_OP_READ:
		case BLOCK_OP_WRITE:
			a->op = io->r.op == BLOCK_OP_READ ? ATA_OP_READ : ATA_OP_WRITE;
			a->lba = io->r.block;
			a->count = (uint32_t)io->r.count;
			a->dev = io->r.dev;
			break;
		case BLOCK_OP_SYNC:
			a->op = ATA_OP_FLUSH;
			break;
		default:
			/* TRIM is not announced; the library refuses it already */
			blkdrv_ack(&d->c, &io->r, PS_STATUS_BAD_OPCODE);
			io->next_free = d->free;
			d->free = io;
			continue;
		}
		ahci_port_submit(d->port, a);
	}
	blkdrv_flush(&d->c);
}

void ahci_main_after_irq(void)
{
	for (unsigned i = 0; i < AHCI_PORTS_MAX; i++)
		if (disks[i])
			pump(disks[i]);
}

static void on_stream(void *arg)
{
	(void)arg;
	ahci_main_after_irq();
}

rpc_status_t ahci_blkdrv_open(unsigned port)
{
	char name[16];
	struct disk *d = malloc(sizeof(*d));

	if (!d)
		return RPC_E_OUT_OF_MEMORY;
	memset(d, 0, sizeof(*d));
	snprintf(name, sizeof(name), "sata%u", port);
	rpc_status_t st = blkdrv_open(&d->c, "", name);
	if (st != RPC_OK) {
		free(d);
		return st;
	}
	disks[port] = d;
	return RPC_OK;
}

void ahci_blkdrv_start(struct ahci_hba *h, struct entrypoint *ep)
{
	if (signal_handler_init(ep, &stream_sig, on_stream, 0) != RPC_OK) {
		log("error: no signal handler for the streams");
		return;
	}
	for (unsigned i = 0; i < AHCI_PORTS_MAX; i++) {
		struct disk *d = disks[i];
		if (!d)
			continue;
		struct ahci_port *p = &h->port[i];
		if (p->state != PORT_READY) {
			log("error: %s: the disk found first is gone: no Block_driver session", p->name);
			blkdrv_disconnect(&d->c);
			free(d);
			disks[i] = 0;
			continue;
		}
		d->port = p;
		/* the configured size, or less while the quota does not cover it
		 * or no contiguous block of that size is free */
		rpc_status_t st = RPC_E_NO_RAM_QUOTA, first = RPC_OK;
		for (uint64_t size = stream_size; size >= STREAM_MIN &&
		     (st == RPC_E_NO_RAM_QUOTA || st == RPC_E_UNAVAILABLE); size /= 2) {
			st = dma_buf_alloc(h->plat, size, h->s64a ? 0 : PLATFORM_DMA_BELOW_4G, &d->stream);
			if (first == RPC_OK)
				first = st;
		}
		if (st == RPC_OK && d->stream.size < stream_size)
			log("%s: no stream of %lu KiB (%s): %lu KiB instead", p->name,
			    (unsigned long)(stream_size >> 10), rpc_status_name(first),
			    (unsigned long)(d->stream.size >> 10));
		uint32_t ss = p->info.sector_size;
		uint64_t max = (uint64_t)ata_max_sectors(&p->info, p->ncq) * ss;
		if (max > (uint64_t)AHCI_TABLE_PRDS * PRD_MAX_BYTES)
			max = (uint64_t)AHCI_TABLE_PRDS * PRD_MAX_BYTES;
		struct blkdrv_args a = {
			.block_size = ss,
			.count = p->info.sectors,
			.flags = BLOCK_WRITABLE,
			.max_request = (uint32_t)(max & ~(uint64_t)(ss - 1)),
			.ds = d->stream.ds,
			.mem = d->stream.virt,
			.size = d->stream.size,
			.dev = d->stream.dev,
			.slots = stream_slots,
			.sigh = stream_sig.cap,
		};
		if (st == RPC_OK)
			st = blkdrv_start(&d->c, &a);
		if (st != RPC_OK) {
			log("error: %s: Block_driver session not started: %s", p->name, rpc_status_name(st));
			continue;
		}
		for (unsigned k = 0; k < IO_MAX; k++) {
			d->io[k].disk = d;
			d->io[k].next_free = d->free;
			d->free = &d->io[k];
		}
		d->started = true;
		log("%s: served to the block multiplexer (stream %lu KiB, %u slots, up to %u KiB a request)",
		    p->name, (unsigned long)(d->stream.size >> 10), stream_slots, d->c.max_request >> 10);
		pump(d);
	}
}
