/*
 * nvme_block_test: the client of run/nvme_test. Through the block
 * multiplexer (servers/block), a Block session per NVMe namespace
 * (label = the disk's name, the policy grants the whole disk writable),
 * the cases on each (ids as drivers/nvme/selftest.c, so that
 * drivers/nvme/test/check_disks.py checks both):
 *
 *   NVBLK_0001 BLOCK_INFO: block size and count as the config says,
 *              writable, trim
 *   NVBLK_0002 the first 2 MiB read, 8 requests of 64 KiB in flight,
 *              their SHA-256 logged (the host compares)
 *   NVBLK_0003 1 MiB from byte 2 MiB written in requests of mixed sizes,
 *              512 KiB in flight at once; SYNC; read back in other sizes
 *              and compared (the host checks too)
 *   NVBLK_0004 requests refused: beyond the disk, not whole blocks, an
 *              unknown opcode
 *   NVBLK_0005 a read of 768 KiB (more than the driver takes at once:
 *              the multiplexer cuts it) and one of the last block
 *   NVBLK_0006 TRIM of 64 KiB from byte 3 MiB (the host finds zeros)
 *   NVBLK_0007 (a disk with error_block) a read of that block fails with
 *              PS_STATUS_ERROR (the scenario injects a medium error
 *              there with QEMU's blkdebug), the block before it reads
 *
 * Config: <config> <disk name="nvme0n1" block_size="512" blocks="16384"
 * [error_block="12288"]/> ... </config>. With <config restarts="N"> the
 * restart cases of restart.c run on the first disk instead.
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <block_connection.h>
#include <sha256.h>
#include "test.h"

#define DISKS_MAX 4
#define PATTERN_SIZE (1u << 20)
#define TRIM_AT (3u << 20)
#define TRIM_SIZE (64u * 1024)
#define HASH_BYTES (2u << 20)
#define BIG (768u * 1024)
#define BATCH (512u * 1024)      /* bytes in flight at once */


static struct expect expect[DISKS_MAX];
static unsigned nexpect;
int passed, failed;
static uint8_t scratch[PATTERN_SIZE];

/* ---- the cases ---- */


/* Take acknowledgements until every request of rs is acknowledged; false
 * if one names no request of rs or the stream broke. */
bool wait_acks(struct session *s, struct req *rs, unsigned n)
{
	unsigned left = 0;

	for (unsigned i = 0; i < n; i++)
		left += !rs[i].done;
	while (left) {
		struct ps_desc d;
		ps_error_t e = block_get_ack(&s->c, &d);
		if (e == PS_E_EMPTY) {
			block_wait(&s->c);
			continue;
		}
		if (e != PS_OK) {
			log("FAIL %s: ack: %s", s->disk, ps_error_name(e));
			return false;
		}
		unsigned i = 0;
		while (i < n && !(rs[i].d.tag == d.tag && !rs[i].done))
			i++;
		if (i == n) {
			log("FAIL %s: ack of tag %lu, not in flight", s->disk, (unsigned long)d.tag);
			return false;
		}
		rs[i].done = true;
		rs[i].status = d.status;
		rs[i].d.size = d.size;
		left--;
	}
	return true;
}

/* Submit the n requests of rs (payloads allocated by the caller, tags
 * set here), waiting for room in the submit ring. */
bool submit_all(struct session *s, struct req *rs, unsigned n)
{
	static uint64_t tag;

	for (unsigned i = 0; i < n; i++) {
		rs[i].d.opcode = (uint16_t)rs[i].op;
		rs[i].d.arg = rs[i].block;
		rs[i].d.tag = ++tag;
		rs[i].done = false;
		ps_error_t e;
		while ((e = ps_submit(&s->c.src, &rs[i].d)) == PS_E_FULL)
			block_wait(&s->c);
		if (e != PS_OK) {
			log("FAIL %s: submit: %s", s->disk, ps_error_name(e));
			return false;
		}
	}
	return true;
}

/* n requests of op over bytes [at, at + sizes...) in flight together,
 * data from / into buf; true if all succeeded. */
bool transfer(struct session *s, unsigned op, uint64_t at, const uint32_t *sizes, unsigned n,
		     uint8_t *buf)
{
	struct req rs[INFLIGHT];
	uint64_t pos = at;
	bool ok = true;

	for (unsigned i = 0; i < n; i++) {
		memset(&rs[i], 0, sizeof(rs[i]));
		ps_error_t e;
		while ((e = ps_alloc(&s->c.src, sizes[i], &rs[i].d)) == PS_E_NO_SPACE && i == 0)
			block_wait(&s->c);
		if (e != PS_OK) {
			log("FAIL %s: no payload space for %u bytes", s->disk, sizes[i]);
			for (unsigned k = 0; k < i; k++)
				ps_free(&s->c.src, &rs[k].d);
			return false;
		}
		rs[i].op = op;
		rs[i].block = pos / s->block_size;
		if (op == BLOCK_OP_WRITE)
			memcpy(ps_payload(&s->c.src.e, &rs[i].d), buf + (pos - at), sizes[i]);
		pos += sizes[i];
	}
	ok = submit_all(s, rs, n) && wait_acks(s, rs, n);
	pos = at;
	for (unsigned i = 0; i < n; i++) {
		if (rs[i].status != PS_STATUS_OK) {
			log("FAIL %s: op %u at block %lu: status %u", s->disk, op,
			    (unsigned long)rs[i].block, rs[i].status);
			ok = false;
		}
		if (ok && op == BLOCK_OP_READ)
			memcpy(buf + (pos - at), ps_payload(&s->c.src.e, &rs[i].d), sizes[i]);
		pos += sizes[i];
		ps_free(&s->c.src, &rs[i].d);
	}
	return ok;
}

/* One request without payload use (SYNC, TRIM) or a malformed one: its
 * status, 0xffff when the stream failed. */
unsigned single(struct session *s, unsigned op, uint64_t block, uint32_t size)
{
	struct req r = { 0 };

	if (ps_alloc(&s->c.src, size ? size : 1, &r.d) != PS_OK)
		return 0xffff;
	r.d.size = size;
	r.op = op;
	r.block = block;
	struct ps_desc alloc = r.d;
	alloc.size = size ? size : 1;
	bool ok = submit_all(s, &r, 1) && wait_acks(s, &r, 1);
	ps_free(&s->c.src, &alloc);
	return ok ? r.status : 0xffff;
}

void result(bool ok, const char *id, const char *disk, const char *what)
{
	if (ok)
		passed++;
	else
		failed++;
	log("%s %s %s: %s", ok ? "ok" : "FAIL", id, disk, what);
}

uint64_t pattern(uint32_t nsid, uint64_t block, unsigned k)
{
	return (uint64_t)nsid << 56 | block << 16 | k;
}

static void test_disk(struct session *s, const struct expect *x, uint32_t nsid)
{
	uint32_t bs = s->block_size;
	char line[160];
	bool ok;

	snprintf(line, sizeof(line), "%lu blocks of %u bytes, %s, %s",
		 (unsigned long)s->count, bs, s->flags & BLOCK_WRITABLE ? "writable" : "read-only",
		 s->flags & BLOCK_TRIM ? "trim" : "no trim");
	result(bs == x->block_size && s->count == x->blocks && (s->flags & BLOCK_WRITABLE) &&
		       (s->flags & BLOCK_TRIM),
	       "NVBLK_0001", s->disk, line);

	/* NVBLK_0002: hash of the first 2 MiB, 8 x 64 KiB in flight (the
	 * payload area is a little under the stream's 1 MiB) */
	struct sha256 h;
	uint8_t digest[SHA256_DIGEST];
	char hex[SHA256_HEX];
	uint32_t sizes[INFLIGHT];
	ok = true;
	sha256_init(&h);
	for (unsigned i = 0; i < INFLIGHT; i++)
		sizes[i] = 64 * 1024;
	for (uint64_t at = 0; at < HASH_BYTES && ok; at += BATCH) {
		ok = transfer(s, BLOCK_OP_READ, at, sizes, BATCH / (64 * 1024), scratch);
		sha256_update(&h, scratch, BATCH);
	}
	sha256_final(&h, digest);
	sha256_hex(digest, hex);
	snprintf(line, sizeof(line), "sha256 of bytes 0..%u: %s", HASH_BYTES, hex);
	result(ok, "NVBLK_0002", s->disk, line);

	/* NVBLK_0003: pattern in batches of 512 KiB cut into mixed sizes,
	 * SYNC, read back in other sizes */
	for (uint32_t off = 0; off < PATTERN_SIZE; off += 8) {
		uint64_t v = pattern(nsid, (PATTERN_AT + off) / bs, (off % bs) / 8);
		memcpy(scratch + off, &v, 8);
	}
	static const uint32_t mix[] = { 4096, 65536, 8192, 262144, 12288, 131072, 4096, 16384 };
	unsigned requests = 0;
	ok = true;
	for (uint32_t part = 0; part < PATTERN_SIZE && ok; part += BATCH) {
		unsigned n = 0;
		uint32_t total = 0;
		while (total < BATCH && n < INFLIGHT) {
			uint32_t sz = mix[(requests + n) % 8];
			if (sz > s->max_request)
				sz = s->max_request - s->max_request % bs;
			if (sz > BATCH - total || n == INFLIGHT - 1)
				sz = BATCH - total;
			sizes[n++] = sz;
			total += sz;
		}
		for (unsigned i = 0; i < n && ok; i++)
			ok = sizes[i] <= s->max_request && sizes[i] % bs == 0;
		if (!ok)
			log("FAIL %s: the pattern does not cut into requests of at most %u bytes",
			    s->disk, s->max_request);
		ok = ok && transfer(s, BLOCK_OP_WRITE, PATTERN_AT + part, sizes, n, scratch + part);
		requests += n;
	}
	unsigned st = ok ? single(s, BLOCK_OP_SYNC, 0, 0) : 0xffff;
	ok = ok && st == PS_STATUS_OK;
	memset(scratch, 0, PATTERN_SIZE);
	for (unsigned i = 0; i < 4; i++)
		sizes[i] = BATCH / 4;
	if (sizes[0] > s->max_request)
		ok = false;
	for (uint32_t part = 0; part < PATTERN_SIZE && ok; part += BATCH)
		ok = transfer(s, BLOCK_OP_READ, PATTERN_AT + part, sizes, 4, scratch + part);
	long bad = -1;
	for (uint32_t off = 0; ok && off < PATTERN_SIZE && bad < 0; off += 8) {
		uint64_t v = pattern(nsid, (PATTERN_AT + off) / bs, (off % bs) / 8);
		if (memcmp(scratch + off, &v, 8))
			bad = off;
	}
	snprintf(line, sizeof(line), "1 MiB written at byte %u in %u requests, SYNC (%u), read back%s",
		 PATTERN_AT, requests, st, bad >= 0 ? ": differs" : "");
	result(ok && bad < 0, "NVBLK_0003", s->disk, line);

	/* NVBLK_0004: refused */
	unsigned r1 = single(s, BLOCK_OP_READ, s->count, bs);
	unsigned r2 = single(s, BLOCK_OP_READ, s->count - 1, 2 * bs);
	unsigned r3 = single(s, BLOCK_OP_READ, 0, bs + bs / 2);
	unsigned r4 = single(s, 9, 0, bs);
	snprintf(line, sizeof(line), "beyond the disk %u, %u, partial block %u, opcode 9 %u", r1, r2,
		 r3, r4);
	result(r1 == BLOCK_STATUS_RANGE && r2 == BLOCK_STATUS_RANGE && r3 == BLOCK_STATUS_RANGE &&
		       r4 == PS_STATUS_BAD_OPCODE,
	       "NVBLK_0004", s->disk, line);

	/* NVBLK_0005: a request the multiplexer cuts, and the last block */
	uint32_t one[1] = { BIG };
	ok = BIG <= s->max_request && transfer(s, BLOCK_OP_READ, 0, one, 1, scratch);
	one[0] = bs;
	ok = ok && transfer(s, BLOCK_OP_READ, (s->count - 1) * bs, one, 1, scratch);
	snprintf(line, sizeof(line), "a read of %u bytes and one of the last block", BIG);
	result(ok, "NVBLK_0005", s->disk, line);

	/* NVBLK_0006: trim */
	st = single(s, BLOCK_OP_TRIM, TRIM_AT / bs, TRIM_SIZE);
	snprintf(line, sizeof(line), "TRIM of %u bytes at byte %u: status %u", TRIM_SIZE, TRIM_AT, st);
	result(st == PS_STATUS_OK, "NVBLK_0006", s->disk, line);

	/* NVBLK_0007: a medium error */
	if (!x->error_block)
		return;
	unsigned e1 = single(s, BLOCK_OP_READ, x->error_block, bs);
	unsigned e2 = single(s, BLOCK_OP_READ, x->error_block - 1, bs);
	snprintf(line, sizeof(line), "read of block %lu (injected error): status %u; block before: %u",
		 (unsigned long)x->error_block, e1, e2);
	result(e1 == PS_STATUS_ERROR && e2 == PS_STATUS_OK, "NVBLK_0007", s->disk, line);
}

static void fail(const char *what, rpc_status_t st)
{
	log("FAIL %s: %s", what, rpc_status_name(st));
	log("nvme_block_test: %d passed, %d failed", passed, failed + 1);
	component_exit(1);
}

void component_construct(struct component_env *e)
{
	static struct session s;
	struct config_rom cfg;
	uint64_t restarts = 0;
	rpc_status_t st;

	(void)e;
	if (config_rom_open(&cfg, "config", 0, 0, 0) != RPC_OK || !cfg.node)
		fail("no config", RPC_E_NOT_FOUND);
	if (cfg_attr_u64(cfg.node, "restarts", 0, &restarts) < 0 || restarts > 8)
		fail("config: restarts must be a number up to 8", RPC_E_INVALID_ARGUMENT);
	for (struct cfg_node *d = cfg_child(cfg.node, "disk"); d && nexpect < DISKS_MAX;
	     d = cfg_next(d, "disk")) {
		struct expect *x = &expect[nexpect];
		const char *name = cfg_attr(d, "name");
		if (!name || strlen(name) >= sizeof(x->name) ||
		    cfg_attr_u64(d, "block_size", 0, &x->block_size) <= 0 ||
		    cfg_attr_u64(d, "blocks", 0, &x->blocks) <= 0)
			fail("config: <disk name block_size blocks/>", RPC_E_INVALID_ARGUMENT);
		if (cfg_attr_u64(d, "error_block", 0, &x->error_block) < 0)
			fail("config: error_block must be a number", RPC_E_INVALID_ARGUMENT);
		memcpy(x->name, name, strlen(name) + 1);
		nexpect++;
	}
	config_rom_close(&cfg, 0);
	if (!nexpect)
		fail("config: no <disk>", RPC_E_INVALID_ARGUMENT);
	if (restarts) {
		restart_test(&expect[0], (unsigned)restarts);
		log("nvme_block_test: %d passed, %d failed", passed, failed);
		return;
	}
	for (unsigned i = 0; i < nexpect; i++) {
		const struct expect *x = &expect[i];
		/* the disk names end in the namespace id: nvme0n<nsid> */
		const char *p = x->name + strlen(x->name);
		while (p > x->name && p[-1] >= '0' && p[-1] <= '9')
			p--;
		uint32_t nsid = 0;
		for (; *p; p++)
			nsid = nsid * 10 + (uint32_t)(*p - '0');
		st = block_connect(&s.c, x->name, STREAM, 0, 0);
		if (st != RPC_OK) {
			log("FAIL %s: no Block session: %s", x->name, rpc_status_name(st));
			failed++;
			continue;
		}
		s.disk = x->name;
		s.block_size = s.c.block_size;
		s.count = s.c.count;
		s.flags = s.c.flags;
		s.max_request = s.c.max_io;
		test_disk(&s, x, nsid);
		block_disconnect(&s.c);
	}
	log("nvme_block_test: %d passed, %d failed", passed, failed);
}
