/*
 * The driver's self-test (<config selftest="yes">), run instead of
 * serving the block multiplexer: for each <disk port=".." sectors=".."
 * write_lba=".." write_sectors=".." seed=".."/> of the config it checks
 * the size IDENTIFY reports, reads the whole disk (SHA-256 logged for the
 * host to compare with the image it made), writes a pattern (each sector
 * stamped with its LBA and the seed), flushes and reads it back, and
 * provokes a device error (a read past the end among good reads) that the
 * port must recover from. run/ahci_selftest; the host checks the image
 * (drivers/ahci/test/check_disk.py).
 */
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <harness.h>
#include <sha256.h>
#include "main.h"

#define BUF_SIZE (1u << 20)
#define CHUNK (64u * 1024)
#define CHUNKS (BUF_SIZE / CHUNK)
#define MAX_DISKS 8

struct disk_cfg {
	unsigned port;
	uint64_t sectors, write_lba, write_sectors, seed;
};
static struct disk_cfg disks[MAX_DISKS];
static unsigned ndisks;
static bool cfg_bad;

void ahci_selftest_config(const struct cfg_node *cfg)
{
	for (const struct cfg_node *d = cfg_child(cfg, "disk"); d; d = cfg_next(d, "disk")) {
		uint64_t port;
		struct disk_cfg *c = &disks[ndisks];
		if (ndisks == MAX_DISKS || cfg_attr_u64(d, "port", 0, &port) <= 0 || port >= 32 ||
		    cfg_attr_u64(d, "sectors", 0, &c->sectors) <= 0 ||
		    cfg_attr_u64(d, "write_lba", 0, &c->write_lba) < 0 ||
		    cfg_attr_u64(d, "write_sectors", 0, &c->write_sectors) < 0 ||
		    cfg_attr_u64(d, "seed", 1, &c->seed) < 0) {
			log("error: config: a <disk> needs port (0..31) and sectors, and "
			    "write_lba, write_sectors, seed must be numbers (at most %u disks)", MAX_DISKS);
			cfg_bad = true;
			continue;
		}
		c->port = (unsigned)port;
		ndisks++;
	}
}

/* ---- requests in batches ---- */

struct batch {
	struct ahci_req req[CHUNKS + 1];
	bool ok[CHUNKS + 1];
	unsigned n, done;
};

static void batch_cb(struct ahci_req *r, bool ok)
{
	struct batch *b = r->ctx;
	b->ok[r - b->req] = ok;
	b->done++;
}

static bool batch_done(void *arg)
{
	struct batch *b = arg;
	return b->done == b->n;
}

static struct batch *batch_new(struct batch *b)
{
	memset(b, 0, sizeof(*b));
	return b;
}

static struct ahci_req *batch_add(struct batch *b, enum ata_op op, uint64_t lba, uint32_t count,
				  uint64_t dev)
{
	struct ahci_req *r = &b->req[b->n++];
	*r = (struct ahci_req){ .op = op, .lba = lba, .count = count, .dev = dev, .done = batch_cb,
				.ctx = b };
	return r;
}

/* Submit all, wait for all; true if every one succeeded. */
static bool batch_run(struct ahci_port *p, struct batch *b)
{
	for (unsigned i = 0; i < b->n; i++)
		ahci_port_submit(p, &b->req[i]);
	ahci_main_run_until(batch_done, b);
	for (unsigned i = 0; i < b->n; i++)
		if (!b->ok[i])
			return false;
	return true;
}

static struct dma_buf buf;
static struct batch batch;

static void stamp(uint8_t *s, uint64_t lba, uint64_t seed, uint32_t size)
{
	memcpy(s, &lba, 8);
	memcpy(s + 8, &seed, 8);
	for (uint32_t i = 16; i < size; i++)
		s[i] = (uint8_t)(lba * 31 + seed * 7 + i);
}

/* Read [lba, lba + n) in rounds of CHUNKS requests; each round's data is
 * handed to fn in disk order. */
static bool read_range(struct ahci_port *p, uint64_t lba, uint64_t n,
		       void (*fn)(void *arg, uint64_t lba, const uint8_t *data, uint32_t bytes), void *arg)
{
	uint32_t ss = p->info.sector_size, per = CHUNK / ss;

	while (n) {
		struct batch *b = batch_new(&batch);
		uint64_t first = lba;
		for (unsigned i = 0; i < CHUNKS && n; i++) {
			uint32_t k = n < per ? (uint32_t)n : per;
			batch_add(b, ATA_OP_READ, lba, k, buf.dev + i * CHUNK);
			lba += k;
			n -= k;
		}
		if (!batch_run(p, b))
			return false;
		fn(arg, first, buf.virt, (uint32_t)((lba - first) * ss));
	}
	return true;
}

static void hash_fn(void *arg, uint64_t lba, const uint8_t *data, uint32_t bytes)
{
	(void)lba;
	sha256_update(arg, data, bytes);
}

struct cmp {
	uint64_t seed;
	uint32_t ss;
	uint64_t bad;
	uint8_t want[4096];
};
static struct cmp cmp;

static void cmp_fn(void *arg, uint64_t lba, const uint8_t *data, uint32_t bytes)
{
	struct cmp *c = arg;
	for (uint32_t off = 0; off < bytes; off += c->ss, lba++) {
		stamp(c->want, lba, c->seed, c->ss);
		if (memcmp(c->want, data + off, c->ss))
			c->bad++;
	}
}

static bool write_pattern(struct ahci_port *p, uint64_t lba, uint64_t n, uint64_t seed)
{
	uint32_t ss = p->info.sector_size, per = CHUNK / ss;

	while (n) {
		struct batch *b = batch_new(&batch);
		for (unsigned i = 0; i < CHUNKS && n; i++) {
			uint32_t k = n < per ? (uint32_t)n : per;
			for (uint32_t s = 0; s < k; s++)
				stamp(buf.virt + i * CHUNK + s * ss, lba + s, seed, ss);
			batch_add(b, ATA_OP_WRITE, lba, k, buf.dev + i * CHUNK);
			lba += k;
			n -= k;
		}
		if (!batch_run(p, b))
			return false;
	}
	struct batch *b = batch_new(&batch);
	batch_add(b, ATA_OP_FLUSH, 0, 0, 0);
	return batch_run(p, b);
}

static void test_disk(struct ahci_hba *h, const struct disk_cfg *c)
{
	struct ahci_port *p = &h->port[c->port];
	char id[16], desc[96];
	bool ready = p->state == PORT_READY;

	snprintf(desc, sizeof(desc), "port %u: a disk of %lu sectors, as IDENTIFY says", c->port,
		 (unsigned long)c->sectors);
	snprintf(id, sizeof(id), "AHCI_%02u01", c->port);
	CHECK_CASE(id, desc, ready && p->info.sectors == c->sectors);
	if (!ready)
		return;

	/* the whole disk: its SHA-256 for the host */
	struct sha256 sh;
	uint8_t dg[SHA256_DIGEST];
	char hex[SHA256_HEX];
	sha256_init(&sh);
	bool ok = read_range(p, 0, p->info.sectors, hash_fn, &sh);
	sha256_final(&sh, dg);
	sha256_hex(dg, hex);
	log("%s: sha256 %s of %lu bytes", p->name, ok ? hex : "(read failed)",
	    (unsigned long)(p->info.sectors * p->info.sector_size));
	snprintf(id, sizeof(id), "AHCI_%02u02", c->port);
	CHECK_CASE(id, "every sector of the disk read (SHA-256 logged for the host)", ok);

	/* a pattern written, flushed, read back */
	uint64_t wl = c->write_lba, wn = c->write_sectors;
	ok = wn && wl + wn <= p->info.sectors && p->info.sector_size <= sizeof(cmp.want);
	ok = ok && write_pattern(p, wl, wn, c->seed);
	snprintf(id, sizeof(id), "AHCI_%02u03", c->port);
	CHECK_CASE(id, "the pattern written and flushed", ok);
	cmp.seed = c->seed;
	cmp.ss = p->info.sector_size;
	cmp.bad = 0;
	ok = ok && read_range(p, wl, wn, cmp_fn, &cmp);
	if (cmp.bad)
		log("%s: %lu sectors differ from the pattern", p->name, (unsigned long)cmp.bad);
	snprintf(id, sizeof(id), "AHCI_%02u04", c->port);
	CHECK_CASE(id, "the pattern reads back", ok && !cmp.bad);

	snprintf(id, sizeof(id), "AHCI_%02u05", c->port);
	CHECK_CASE(id, "several commands were in flight at once (queued where NCQ)",
		   p->max_in_flight > 1);

	/* an error among good reads: the bad one fails, the port is reset,
	 * the good ones succeed */
	uint64_t resets = p->resets;
	struct batch *b = batch_new(&batch);
	uint32_t per = CHUNK / p->info.sector_size;
	for (unsigned i = 0; i < CHUNKS - 1; i++) {
		batch_add(b, ATA_OP_READ, (uint64_t)i * per % (p->info.sectors - per), per,
			  buf.dev + i * CHUNK);
		if (i == CHUNKS / 2) {
			struct ahci_req *r = batch_add(b, ATA_OP_RAW, p->info.sectors + 8, 8,
						       buf.dev + (CHUNKS - 1) * CHUNK);
			r->raw_cmd = p->info.lba48 ? ATA_CMD_READ_DMA_EXT : ATA_CMD_READ_DMA;
		}
	}
	batch_run(p, b);
	unsigned good = 0, bad_ok = 0;
	for (unsigned i = 0; i < b->n; i++) {
		if (b->req[i].op == ATA_OP_RAW)
			bad_ok += b->ok[i];
		else
			good += b->ok[i];
	}
	log("%s: error test: %u of %u good reads succeeded, the bad one %s, %lu port reset(s)",
	    p->name, good, b->n - 1, bad_ok ? "succeeded" : "failed", (unsigned long)(p->resets - resets));
	snprintf(id, sizeof(id), "AHCI_%02u06", c->port);
	CHECK_CASE(id, "a read past the end fails, the port is reset, the reads beside it succeed",
		   !bad_ok && good == b->n - 1 && p->resets > resets && p->state == PORT_READY);
	/* the same with the bad read queued among queued ones (NCQ): the
	 * device fails the lot, each is replayed alone */
	resets = p->resets;
	uint64_t errors = p->errors;
	b = batch_new(&batch);
	for (unsigned i = 0; i < CHUNKS; i++) {
		bool bad = i == CHUNKS / 3;
		uint64_t lba = bad ? p->info.sectors + 64 : (uint64_t)i * per % (p->info.sectors - per);
		batch_add(b, ATA_OP_READ, lba, bad ? 8 : per, buf.dev + i * CHUNK);
	}
	batch_run(p, b);
	good = 0;
	for (unsigned i = 0; i < b->n; i++)
		good += i != CHUNKS / 3 && b->ok[i];
	log("%s: queued error test: %u of %u good reads succeeded, the bad one %s, %lu port reset(s)",
	    p->name, good, b->n - 1, b->ok[CHUNKS / 3] ? "succeeded" : "failed",
	    (unsigned long)(p->resets - resets));
	snprintf(id, sizeof(id), "AHCI_%02u07", c->port);
	CHECK_CASE(id, "the same with every read queued: only the bad one fails",
		   !b->ok[CHUNKS / 3] && good == b->n - 1 && p->resets > resets &&
			   p->errors == errors + 1 && p->state == PORT_READY);

	b = batch_new(&batch);
	batch_add(b, ATA_OP_READ, wl, 1, buf.dev);
	ok = batch_run(p, b);
	cmp.bad = 0;
	if (ok)
		cmp_fn(&cmp, wl, buf.virt, p->info.sector_size);
	snprintf(id, sizeof(id), "AHCI_%02u08", c->port);
	CHECK_CASE(id, "the port works after the resets", ok && !cmp.bad);
	log("%s: %lu requests, %lu errors, %lu resets, at most %lu in flight", p->name,
	    (unsigned long)p->requests, (unsigned long)p->errors, (unsigned long)p->resets,
	    (unsigned long)p->max_in_flight);
}

void ahci_selftest(struct ahci_hba *h)
{
	CHECK_CASE("AHCI_0000", "the config names disks, all well-formed", ndisks && !cfg_bad);
	if (dma_buf_alloc(ahci_main_platform(), BUF_SIZE, h->s64a ? 0 : PLATFORM_DMA_BELOW_4G, &buf) !=
	    RPC_OK) {
		CHECK_CASE("AHCI_0099", "a DMA buffer for the self-test", false);
		test_done("ahci_selftest");
		return;
	}
	for (unsigned i = 0; i < ndisks; i++)
		test_disk(h, &disks[i]);
	/* no port but the configured ones has a disk */
	unsigned extra = 0;
	for (unsigned i = 0; i < AHCI_PORTS_MAX; i++) {
		bool named = false;
		for (unsigned k = 0; k < ndisks; k++)
			named |= disks[k].port == i;
		extra += !named && h->port[i].state == PORT_READY;
	}
	CHECK_CASE("AHCI_9901", "exactly the configured ports have disks", !extra);
	test_done("ahci_selftest");
}
