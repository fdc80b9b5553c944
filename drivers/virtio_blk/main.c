/*
 * virtio_blk: QEMU's virtio-blk-pci (virtio device type 2, OASIS virtio
 * v1.1 5.2) through the driver kit's virtio transport, a Block_driver
 * client of the block multiplexer (block_connection.h). The stream is one
 * DMA buffer: each request's data goes straight between the device and
 * the multiplexer's payload, several requests in flight on one queue
 * (MSI-X vector 1; vector 0 for configuration changes).
 *
 *   READ/WRITE   VIRTIO_BLK_T_IN / _OUT, the data in at most seg_max
 *                segments of at most size_max bytes (when offered)
 *   SYNC         VIRTIO_BLK_T_FLUSH with VIRTIO_BLK_F_FLUSH; without it the
 *                device has no volatile cache (completed writes are durable)
 *                and a SYNC completes at once
 *   TRIM         VIRTIO_BLK_T_DISCARD with VIRTIO_BLK_F_DISCARD
 *   read-only    VIRTIO_BLK_F_RO: the disk is announced without
 *                BLOCK_WRITABLE (the session library refuses writes)
 *
 * Drives the first virtio-blk device its Platform session shows, as disk
 * "vd0" (config: <config disk="vd0"/>). Its Block_driver session is opened
 * before the Platform session (block_connection.h, blkdrv_open).
 *
 * Trusts its parent, core, the platform driver and the multiplexer's
 * requests once the session library checked them; the device only for
 * the data (the used ring is checked by the virtqueue code: a device that
 * breaks it ends the driver, and a restarted one gets the requests again).
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/string.h>
#include <block_connection.h>
#include <virtio_pci.h>

#define QUEUE_MAX 128
#define STREAM_SIZE (2ul << 20)
#define STREAM_SLOTS 64
#define PLATFORM_RAM (64 * 1024)
#define SLOT_BYTES 64            /* per request: header, discard segment, status */
#define SEGS_MAX 8

/* The device configuration (5.2.4). */
REG(VBLK_CAPACITY_LO, 0x00, 32);
REG(VBLK_CAPACITY_HI, 0x04, 32);
REG(VBLK_SIZE_MAX, 0x08, 32);
REG(VBLK_SEG_MAX, 0x0c, 32);
REG(VBLK_BLK_SIZE, 0x14, 32);
REG(VBLK_MAX_DISCARD_SECTORS, 0x24, 32);
#define VBLK_CONFIG_MIN 0x28

#define VIRTIO_BLK_F_SIZE_MAX (1ull << 1)
#define VIRTIO_BLK_F_SEG_MAX (1ull << 2)
#define VIRTIO_BLK_F_RO (1ull << 5)
#define VIRTIO_BLK_F_BLK_SIZE (1ull << 6)
#define VIRTIO_BLK_F_FLUSH (1ull << 9)
#define VIRTIO_BLK_F_DISCARD (1ull << 13)

enum {
	VIRTIO_BLK_T_IN = 0,
	VIRTIO_BLK_T_OUT = 1,
	VIRTIO_BLK_T_FLUSH = 4,
	VIRTIO_BLK_T_DISCARD = 11,
};
#define VIRTIO_BLK_S_OK 0
#define SECTOR 512u

struct vblk_header {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

struct vblk_discard {
	uint64_t sector;
	uint32_t num_sectors;
	uint32_t flags;
};

struct slot {
	bool used;
	struct blkdrv_request r;
	uint8_t *mem;            /* SLOT_BYTES in the slots' DMA buffer */
	uint64_t dev;
};

static const struct drv_id blk_ids[] = {
	{ VIRTIO_PCI_VENDOR, VIRTIO_PCI_MODERN_BASE + 2 },  /* modern */
	{ VIRTIO_PCI_VENDOR, 0x1001 },                      /* transitional */
};

static struct component_env *env;
static struct platform_connection plat;
static struct drv_device dev;
static struct virtio_pci vio;
static struct virtio_queue rq;
static struct signal_handler queue_sig, stream_sig;
static struct dma_buf stream, slot_mem;
static struct blkdrv_connection bc;
static struct slot slots[QUEUE_MAX];
static unsigned nslots, inflight, descs_per_req;
static uint32_t seg_size;        /* largest segment (0: any) */
static uint32_t block_size;
static bool flush;
static unsigned long done;

static struct slot *slot_get(void)
{
	for (unsigned i = 0; i < nslots; i++)
		if (!slots[i].used) {
			slots[i].used = true;
			return &slots[i];
		}
	return 0;
}

/* One request to the device; false when it went nowhere (acked here). */
static bool start(struct slot *s)
{
	struct blkdrv_request *r = &s->r;
	struct vblk_header *h = (struct vblk_header *)s->mem;
	struct vblk_discard *dc = (struct vblk_discard *)(s->mem + 16);
	struct vq_buf b[SEGS_MAX + 3];
	unsigned n = 0;
	uint64_t sectors_per_block = block_size / SECTOR;

	h->reserved = 0;
	h->sector = r->block * sectors_per_block;
	b[n++] = (struct vq_buf){ s->dev, sizeof(*h), false };
	switch (r->op) {
	case BLOCK_OP_READ:
	case BLOCK_OP_WRITE: {
		uint64_t at = r->dev, left = r->count * block_size;
		h->type = r->op == BLOCK_OP_READ ? VIRTIO_BLK_T_IN : VIRTIO_BLK_T_OUT;
		while (left) {
			uint32_t k = seg_size && left > seg_size ? seg_size : (uint32_t)left;
			b[n++] = (struct vq_buf){ at, k, r->op == BLOCK_OP_READ };
			at += k;
			left -= k;
		}
		break;
	}
	case BLOCK_OP_SYNC:
		if (!flush) {
			blkdrv_ack(&bc, r, PS_STATUS_OK);
			s->used = false;
			return false;
		}
		h->type = VIRTIO_BLK_T_FLUSH;
		h->sector = 0;
		break;
	case BLOCK_OP_TRIM:
		h->type = VIRTIO_BLK_T_DISCARD;
		h->sector = 0;
		dc->sector = r->block * sectors_per_block;
		dc->num_sectors = (uint32_t)(r->count * sectors_per_block);
		dc->flags = 0;
		b[n++] = (struct vq_buf){ s->dev + 16, sizeof(*dc), false };
		break;
	}
	s->mem[32] = 0xff;   /* the status the device writes */
	b[n++] = (struct vq_buf){ s->dev + 32, 1, true };
	if (vq_add(&rq.vq, b, n, s) != VQ_OK) {
		/* cannot be: a slot is taken only with descriptors for it */
		blkdrv_ack(&bc, r, PS_STATUS_ERROR);
		s->used = false;
		return false;
	}
	inflight++;
	return true;
}

/* A request the device completed (a vq_reap_fn). */
static bool completed(void *arg, void *cookie, uint32_t written)
{
	struct slot *s = cookie;
	uint8_t status = s->mem[32];

	(void)arg;
	(void)written;
	if (status != VIRTIO_BLK_S_OK)
		log("error: request %u at block %lu: device status %u", s->r.op,
		    (unsigned long)s->r.block, status);
	blkdrv_ack(&bc, &s->r, status == VIRTIO_BLK_S_OK ? PS_STATUS_OK : PS_STATUS_ERROR);
	s->used = false;
	inflight--;
	done++;
	return true;
}

static void pump(void)
{
	struct slot *s;
	vq_error_t e;
	bool added = false;

	e = vq_reap(&rq.vq, completed, 0);
	if (e != VQ_OK)
		virtio_pci_broken(&vio, e);
	blkdrv_flush(&bc);
	while ((s = slot_get())) {
		if (!blkdrv_next(&bc, &s->r)) {
			s->used = false;
			break;
		}
		added |= start(s);
	}
	if (added)
		virtio_queue_notify(&rq);
}

static void on_queue(void *arg)
{
	(void)arg;
	pump();
	virtio_queue_irq_ack(&rq);
	/* completions that came between the drain and the ack */
	pump();
}

static void on_stream(void *arg)
{
	(void)arg;
	pump();
}

static void on_config(void *arg)
{
	(void)arg;
	if (virtio_pci_needs_reset(&vio))
		component_exit(1);
	log("configuration change (capacity changes are not followed)");
}

static uint64_t read_capacity(void)
{
	uint8_t gen;
	uint64_t cap;

	do {
		gen = REG_READ(&vio.common, VIRTIO_CONFIG_GENERATION);
		cap = REG_READ(&vio.device, VBLK_CAPACITY_LO) |
		      (uint64_t)REG_READ(&vio.device, VBLK_CAPACITY_HI) << 32;
	} while (gen != REG_READ(&vio.common, VIRTIO_CONFIG_GENERATION));
	return cap;
}

void component_construct(struct component_env *e)
{
	struct config_rom cfg;
	char name[PLATFORM_NAME_MAX], disk[BLOCK_DISK_NAME_MAX] = "vd0";
	const struct virtio_pci_want want = {
		.kind = "virtio-blk", .ids = blk_ids, .nids = 2, .config_min = VBLK_CONFIG_MIN,
		.wanted = VIRTIO_BLK_F_SIZE_MAX | VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_RO |
			  VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH | VIRTIO_BLK_F_DISCARD,
	};
	uint64_t sectors, count;
	uint32_t max_request, segs = SEGS_MAX;
	word_t flags = BLOCK_WRITABLE;
	rpc_status_t st;

	env = e;
	if (config_rom_open(&cfg, "config", 0, 0, 0) == RPC_OK) {
		const char *v = cfg.node ? cfg_attr(cfg.node, "disk") : 0;
		if (v && strlen(v) < sizeof(disk))
			memcpy(disk, v, strlen(v) + 1);
		else if (v)
			log("error: config: disk name too long");
		config_rom_close(&cfg, 0);
	}
	/* the multiplexer's session first: it closes before the stream's buffer goes */
	st = blkdrv_open(&bc, "", disk);
	if (st != RPC_OK)
		virtio_pci_exit(&vio, "no Block_driver session", st);
	virtio_pci_open(&vio, &dev, &plat, PLATFORM_RAM, &want, name);
	st = signal_handler_init(&env->ep, &queue_sig, on_queue, 0);
	if (st == RPC_OK)
		st = virtio_queue_setup(&vio, &rq, 0, QUEUE_MAX, queue_sig.cap);
	if (st == RPC_OK)
		st = virtio_pci_on_config(&vio, &env->ep, on_config, 0);
	if (st != RPC_OK)
		virtio_pci_exit(&vio, "virtio setup", st);

	block_size = SECTOR;
	if (vio.features & VIRTIO_BLK_F_BLK_SIZE) {
		uint32_t bs = REG_READ(&vio.device, VBLK_BLK_SIZE);
		if (bs >= SECTOR && bs <= 65536 && !(bs & (bs - 1)))
			block_size = bs;
		else
			log("error: device block size %u ignored: 512 used", bs);
	}
	if (vio.features & VIRTIO_BLK_F_SEG_MAX) {
		uint32_t m = REG_READ(&vio.device, VBLK_SEG_MAX);
		if (m && m < segs)
			segs = m;
	}
	if (vio.features & VIRTIO_BLK_F_SIZE_MAX) {
		seg_size = REG_READ(&vio.device, VBLK_SIZE_MAX) & ~(block_size - 1);
		if (seg_size < block_size)
			seg_size = block_size;
	}
	if (vio.features & VIRTIO_BLK_F_RO)
		flags &= ~(word_t)BLOCK_WRITABLE;
	flush = vio.features & VIRTIO_BLK_F_FLUSH;
	sectors = read_capacity();
	count = sectors / (block_size / SECTOR);
	if (!count)
		virtio_pci_exit(&vio, "the disk is empty", RPC_E_UNAVAILABLE);

	st = dma_buf_alloc(&plat, STREAM_SIZE, 0, &stream);
	if (st == RPC_OK)
		st = dma_buf_alloc(&plat, 4096, 0, &slot_mem);
	if (st != RPC_OK)
		virtio_pci_exit(&vio, "no DMA memory", st);
	/* segments of one request, plus header and status (and a discard segment) */
	descs_per_req = (seg_size ? segs : 1) + 3;
	nslots = rq.vq.size / descs_per_req;
	if (nslots > 4096 / SLOT_BYTES)
		nslots = 4096 / SLOT_BYTES;
	for (unsigned i = 0; i < nslots; i++) {
		slots[i].mem = slot_mem.virt + i * SLOT_BYTES;
		slots[i].dev = slot_mem.dev + i * SLOT_BYTES;
	}
	max_request = seg_size ? segs * seg_size : 0;
	if ((vio.features & VIRTIO_BLK_F_DISCARD) && (flags & BLOCK_WRITABLE)) {
		uint64_t m = (uint64_t)REG_READ(&vio.device, VBLK_MAX_DISCARD_SECTORS) * SECTOR;
		if (m >= block_size) {
			flags |= BLOCK_TRIM;
			m &= ~(uint64_t)(block_size - 1);
			if (!max_request || m < max_request)
				max_request = m > 0x80000000u ? 0x80000000u : (uint32_t)m;
		}
	}
	virtio_pci_ready(&vio);

	st = signal_handler_init(&env->ep, &stream_sig, on_stream, 0);
	if (st == RPC_OK) {
		struct blkdrv_args a = {
			.block_size = block_size, .count = count, .flags = flags,
			.max_request = max_request, .ds = stream.ds, .mem = stream.virt,
			.size = stream.size, .dev = stream.dev, .slots = STREAM_SLOTS,
			.sigh = stream_sig.cap,
		};
		st = blkdrv_start(&bc, &a);
	}
	if (st != RPC_OK)
		virtio_pci_exit(&vio, "Block_driver session", st);
	log("%s: virtio-blk %s, %lu blocks of %u, features 0x%lx%s%s%s%s, %s, %u requests "
	    "in flight", name, disk, (unsigned long)count, block_size, (unsigned long)vio.features,
	    (vio.features & VIRTIO_F_ACCESS_PLATFORM) ? " (ACCESS_PLATFORM)" : "",
	    flush ? " flush" : "", (flags & BLOCK_TRIM) ? " discard" : "",
	    (flags & BLOCK_WRITABLE) ? "" : " read-only", vio.msix ? "MSI-X" : "legacy interrupt",
	    nslots);
	pump();
}
