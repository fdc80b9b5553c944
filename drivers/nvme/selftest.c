/*
 * The driver's self-test (<config selftest="yes"/>, run/nvme_selftest):
 * the controller without the block multiplexer, against disks the
 * scenario made with random data and checks on the host afterwards
 * (drivers/nvme/test/check_disks.py). Per namespace:
 *
 *   NVME_0001 identified: size and block size logged
 *   NVME_0002 the first hash_bytes read, 4 commands in flight, their
 *             SHA-256 logged (the host compares it with sha256sum)
 *   NVME_0003 a pattern written to 1 MiB from byte 2 MiB (8 commands in
 *             flight), FLUSH, read back (4 in flight) and compared; the
 *             host finds it in the image
 *   NVME_0004 a read into a buffer 512 bytes past a page start, spanning
 *             four pages (PRP list with an offset PRP1), compared
 *   NVME_0005 requests the driver must refuse (beyond the namespace,
 *             too large, unaligned) are refused, nothing submitted
 *   NVME_0006 DSM deallocate of 64 KiB from byte 3 MiB (where ONCS says
 *             so); the host finds zeros there (QEMU discard=unmap)
 *
 * Pattern: the 64-bit little-endian word k of block b of namespace n is
 * n << 56 | b << 16 | k.
 */
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <sha256.h>
#include "selftest.h"

#define BUF_SIZE (512u * 1024)
#define PATTERN_AT (2u << 20)
#define PATTERN_SIZE (1u << 20)
#define TRIM_AT (3u << 20)
#define TRIM_SIZE (64u * 1024)

struct io {
	bool done;
	uint16_t status;
};

static struct nvme *ctrl;
static struct dma_buf buf;
static unsigned pending;
static int passed, failed;

static void io_done(void *arg, void *cookie, uint16_t status)
{
	struct io *io = cookie;

	(void)arg;
	io->done = true;
	io->status = status;
	pending--;
}

static void wait_all(void)
{
	while (pending) {
		nvme_reap(ctrl, io_done, 0);
		if (!pending)
			break;
		nvme_irq_ack(ctrl);
		nvme_wait(ctrl);
	}
}

/* n requests of the same kind over consecutive blocks and buffer bytes,
 * all in flight together; true if every one succeeded. */
static bool run(uint8_t opc, unsigned ns, uint64_t lba, uint32_t blocks_each, unsigned n,
		uint32_t buf_offset)
{
	struct io io[16];
	uint32_t bytes = blocks_each * ctrl->ns[ns].block_size;
	bool ok = true;

	for (unsigned i = 0; i < n && i < 16; i++) {
		struct nvme_request r = { opc, ns, lba + (uint64_t)i * blocks_each, blocks_each,
					  buf.dev + buf_offset + (uint64_t)i * bytes, &io[i] };
		io[i] = (struct io){ false, 0 };
		enum nvme_submit_result s = nvme_submit(ctrl, &r);
		if (s != NVME_SUBMITTED) {
			log("FAIL submit of %u blocks at %lu refused (%d)", blocks_each,
			    (unsigned long)r.lba, s);
			io[i] = (struct io){ true, 0xffff };
			ok = false;
			continue;
		}
		pending++;
	}
	nvme_kick(ctrl);
	wait_all();
	for (unsigned i = 0; i < n && i < 16; i++)
		if (!io[i].done || io[i].status)
			ok = false;
	return ok;
}

static uint64_t pattern(uint32_t nsid, uint64_t block, unsigned k)
{
	return (uint64_t)nsid << 56 | block << 16 | k;
}

static void fill(uint8_t *to, uint32_t nsid, uint64_t block, uint32_t bytes, uint32_t bs)
{
	for (uint32_t off = 0; off < bytes; off += 8) {
		uint64_t v = pattern(nsid, block + off / bs, (off % bs) / 8);
		memcpy(to + off, &v, 8);
	}
}

/* The first mismatching byte offset, or -1. */
static long compare(const uint8_t *have, uint32_t nsid, uint64_t block, uint32_t bytes, uint32_t bs)
{
	for (uint32_t off = 0; off < bytes; off += 8) {
		uint64_t v = pattern(nsid, block + off / bs, (off % bs) / 8);
		if (memcmp(have + off, &v, 8))
			return off;
	}
	return -1;
}

static void result(bool ok, const char *id, const char *disk, const char *what)
{
	if (ok)
		passed++;
	else
		failed++;
	log("%s %s %s: %s", ok ? "ok" : "FAIL", id, disk, what);
}

static void test_namespace(unsigned i, const char *ctrl_name, uint64_t hash_bytes)
{
	struct nvme_ns *ns = &ctrl->ns[i];
	uint32_t bs = ns->block_size;
	uint64_t size = ns->blocks * bs;
	char disk[40], line[160];

	snprintf(disk, sizeof(disk), "%sn%u", ctrl_name, ns->nsid);
	snprintf(line, sizeof(line), "namespace %u: %lu blocks of %u bytes", ns->nsid,
		 (unsigned long)ns->blocks, bs);
	result(ns->blocks > 0 && bs >= 512, "NVME_0001", disk, line);
	if (size < TRIM_AT + TRIM_SIZE) {
		result(false, "NVME_0002", disk, "namespace smaller than 4 MiB: no room for the tests");
		return;
	}

	/* NVME_0002: hash */
	struct sha256 h;
	uint8_t digest[SHA256_DIGEST];
	char hex[SHA256_HEX];
	bool ok = true;
	uint64_t todo = hash_bytes < size ? hash_bytes : size;
	uint32_t chunk = ctrl->max_transfer < BUF_SIZE / 4 ? ctrl->max_transfer : BUF_SIZE / 4;
	sha256_init(&h);
	todo -= todo % bs;
	for (uint64_t at = 0; at < todo && ok;) {
		uint64_t left = todo - at;
		uint32_t each = chunk;
		unsigned n = 4;
		if (left < 4ull * chunk)
			n = (unsigned)(left / chunk);
		if (!n) {
			n = 1;
			each = (uint32_t)left;
		}
		ok = run(NVME_IO_READ, i, at / bs, each / bs, n, 0);
		sha256_update(&h, buf.virt, (size_t)n * each);
		at += (uint64_t)n * each;
	}
	sha256_final(&h, digest);
	sha256_hex(digest, hex);
	snprintf(line, sizeof(line), "sha256 of bytes 0..%lu: %s", (unsigned long)todo, hex);
	result(ok, "NVME_0002", disk, line);

	/* NVME_0003: pattern, flush, read back */
	uint64_t first = PATTERN_AT / bs;
	uint32_t wchunk = PATTERN_SIZE / 8;
	ok = true;
	for (uint32_t part = 0; part < PATTERN_SIZE && ok; part += BUF_SIZE) {
		fill(buf.virt, ns->nsid, first + part / bs, BUF_SIZE, bs);
		ok = run(NVME_IO_WRITE, i, first + part / bs, wchunk / bs, BUF_SIZE / wchunk, 0);
	}
	struct nvme_request fl = { NVME_IO_FLUSH, i, 0, 0, 0, 0 };
	struct io fio = { false, 0 };
	fl.cookie = &fio;
	if (ok && nvme_submit(ctrl, &fl) == NVME_SUBMITTED) {
		pending++;
		nvme_kick(ctrl);
		wait_all();
		ok = fio.done && !fio.status;
	} else {
		ok = false;
	}
	long bad = -1;
	uint32_t rchunk = PATTERN_SIZE / 8 < ctrl->max_transfer ? PATTERN_SIZE / 8 : ctrl->max_transfer;
	for (uint32_t part = 0; part < PATTERN_SIZE && ok && bad < 0; part += BUF_SIZE) {
		memset(buf.virt, 0, BUF_SIZE);
		ok = run(NVME_IO_READ, i, first + part / bs, rchunk / bs, BUF_SIZE / rchunk, 0);
		bad = compare(buf.virt, ns->nsid, first + part / bs, BUF_SIZE, bs);
		if (bad >= 0)
			bad += part;
	}
	snprintf(line, sizeof(line), "1 MiB written at byte %u, flushed, read back%s", PATTERN_AT,
		 bad >= 0 ? ": differs" : "");
	result(ok && bad < 0, "NVME_0003", disk, line);

	/* NVME_0004: a PRP list after an offset PRP1 */
	uint32_t len = 3 * 4096 + 512;
	len -= len % bs;
	memset(buf.virt, 0, 5 * 4096);
	ok = run(NVME_IO_READ, i, first + 8, len / bs, 1, 512);
	bad = compare(buf.virt + 512, ns->nsid, first + 8, len, bs);
	result(ok && bad < 0 && buf.virt[511] == 0 && buf.virt[512 + len] == 0, "NVME_0004", disk,
	       "a read 512 bytes into a page over four pages");

	/* NVME_0005: refused by the driver */
	struct nvme_request bad_reqs[] = {
		{ NVME_IO_READ, i, ns->blocks, 1, buf.dev, 0 },
		{ NVME_IO_READ, i, ns->blocks - 1, 2, buf.dev, 0 },
		{ NVME_IO_READ, i, 0, ctrl->max_transfer / bs + 1, buf.dev, 0 },
		{ NVME_IO_READ, i, 0, 1, buf.dev + 2, 0 },
		{ NVME_IO_WRITE, i, 0, 0, buf.dev, 0 },
		{ NVME_IO_READ, ctrl->nns, 0, 1, buf.dev, 0 },
		{ 0x7f, i, 0, 1, buf.dev, 0 },
	};
	ok = true;
	for (unsigned k = 0; k < sizeof(bad_reqs) / sizeof(bad_reqs[0]); k++)
		if (nvme_submit(ctrl, &bad_reqs[k]) != NVME_INVALID)
			ok = false;
	result(ok && !ctrl->inflight, "NVME_0005", disk, "bad requests refused");

	/* NVME_0006: trim */
	if (ctrl->oncs & NVME_ONCS_DSM) {
		ok = run(NVME_IO_DSM, i, TRIM_AT / bs, TRIM_SIZE / bs, 1, 0);
		snprintf(line, sizeof(line), "DSM deallocate of %u bytes at byte %u", TRIM_SIZE, TRIM_AT);
		result(ok, "NVME_0006", disk, line);
	} else {
		log("%s: ONCS has no DSM: trim not offered", disk);
	}
}

void nvme_selftest(struct nvme *c, const char *name, uint64_t hash_bytes)
{
	rpc_status_t st;

	ctrl = c;
	st = dma_buf_alloc(c->dev->plat, BUF_SIZE, 0, &buf);
	if (st != RPC_OK) {
		log("FAIL no DMA buffer for the self-test: %s", rpc_status_name(st));
		log("nvme selftest: 0 passed, 1 failed");
		return;
	}
	if (!c->nns) {
		log("FAIL %s: no namespace", name);
		failed++;
	}
	for (unsigned i = 0; i < c->nns; i++)
		test_namespace(i, name, hash_bytes);
	dma_buf_free(c->dev->plat, &buf);
	log("nvme selftest: %d passed, %d failed", passed, failed);
}
