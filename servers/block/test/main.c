/*
 * block_test: a client of the block multiplexer (run/block_test). Reads
 * and writes partitions of a disk the scenario made with sgdisk and filled
 * with patterns (pattern.h) by dd, through Block sessions whose policy
 * grants one partition (by number or GPT label) or the whole disk, and
 * checks that requests outside what a policy grants are refused.
 *
 *   <config p1_start="2048" p1_blocks="16384" p2_blocks="16384"
 *           disk_blocks="65536"       the layout the scenario made
 *           mbr2_blocks="8192" mbr5_blocks="4096"/>   a second disk vd1
 *                                     with an MBR, if the scenario has one
 *
 * Logs "block_test: p1 sha256 <hex>" after writing pattern 3 over
 * partition 1, for the host's check; ends "block_test: N passed, N failed".
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/string.h>
#include <block_blk_dev.h>
#include <block_connection.h>
#include <harness.h>
#include <sha256.h>
#include "pattern.h"

#define MIB (1ul << 20)
#define BS 512u

static struct block_connection p1, p2, whole, mbr2, mbr5;
static uint64_t p1_start, p1_blocks, p2_blocks, disk_blocks, mbr2_blocks, mbr5_blocks;
static uint8_t buf[MIB], ref[MIB];
static uint32_t rnd = 2026;

static uint32_t next_rand(void)
{
	rnd = rnd * 1103515245u + 12345u;
	return rnd >> 8;
}

static void connect(struct block_connection *c, const char *label, word_t size)
{
	CHECK_OK(block_connect(c, label, size, 0, 0));
}

static void hex_digest(struct sha256 *s, char hex[SHA256_HEX])
{
	uint8_t d[SHA256_DIGEST];

	sha256_final(s, d);
	sha256_hex(d, hex);
}

/* Read all of c in 1 MiB requests, compare with pattern seed, digest. */
static void read_all(struct block_connection *c, uint64_t blocks, uint64_t seed,
		     char hex[SHA256_HEX])
{
	struct sha256 s;

	sha256_init(&s);
	for (uint64_t b = 0; b < blocks; b += MIB / BS) {
		uint64_t n = blocks - b < MIB / BS ? blocks - b : MIB / BS;
		CHECK_EQ(block_read(c, b, n, buf), PS_STATUS_OK);
		int64_t at = pattern_diff(buf, seed, b * BS, n * BS);
		CHECK_MSG(at < 0, "block %lu byte %ld differs from pattern %lu", (unsigned long)b,
			  (long)at, (unsigned long)seed);
		sha256_update(&s, buf, n * BS);
	}
	hex_digest(&s, hex);
}

TEST(BLK_0001, "each session sees what its policy grants: partition 1 writable, partition 'beta' read-only, the whole disk read-only")
{
	CHECK_EQ(p1.block_size, BS);
	CHECK_EQ(p1.count, p1_blocks);
	CHECK(p1.flags & BLOCK_WRITABLE);
	CHECK_EQ(p2.count, p2_blocks);
	CHECK(!(p2.flags & (BLOCK_WRITABLE | BLOCK_TRIM)));
	CHECK_EQ(whole.count, disk_blocks);
	CHECK(!(whole.flags & BLOCK_WRITABLE));
}

TEST(BLK_0002, "a label without a policy gets no session")
{
	struct block_connection c;

	CHECK_ST(block_connect(&c, "nobody", 0, 0, 0), RPC_E_DENIED);
}

TEST(BLK_0003, "partition 1 holds pattern 1 as the host wrote it (1 MiB requests)")
{
	char hex[SHA256_HEX];

	read_all(&p1, p1_blocks, 1, hex);
	log("block_test: p1 before sha256 %s", hex);
}

TEST(BLK_0004, "partition 'beta' holds pattern 2: all of it and 300 random reads of 1..64 blocks")
{
	char hex[SHA256_HEX];

	read_all(&p2, p2_blocks, 2, hex);
	log("block_test: p2 sha256 %s", hex);
	for (int i = 0; i < 300; i++) {
		uint64_t n = 1 + next_rand() % 64, b = next_rand() % (p2_blocks - n + 1);
		CHECK_EQ(block_read(&p2, b, n, buf), PS_STATUS_OK);
		CHECK_MSG(pattern_diff(buf, 2, b * BS, n * BS) < 0, "blocks %lu+%lu",
			  (unsigned long)b, (unsigned long)n);
	}
}

TEST(BLK_0005, "the whole disk: block 1 is the GPT header, the partition's block 0 is at its start")
{
	CHECK_EQ(block_read(&whole, 1, 1, buf), PS_STATUS_OK);
	CHECK(!memcmp(buf, "EFI PART", 8));
	CHECK_EQ(block_read(&whole, p1_start, 8, buf), PS_STATUS_OK);
	CHECK_EQ(block_read(&p1, 0, 8, ref), PS_STATUS_OK);
	CHECK(!memcmp(buf, ref, 8 * BS));
	CHECK_EQ(block_read(&whole, disk_blocks - 1, 1, buf), PS_STATUS_OK);
	CHECK(!memcmp(buf, "EFI PART", 8));   /* the backup header */
}

TEST(BLK_0006, "16 reads in flight at once complete in any order, each with its own blocks")
{
	struct ps_desc d[16], a;
	unsigned got = 0;
	bool seen[16] = { false };

	for (int i = 0; i < 16; i++) {
		CHECK_EQ(block_alloc(&p2, 64, &d[i]), PS_OK);
		d[i].tag = (uint64_t)i;
		CHECK_EQ(block_submit(&p2, &d[i], BLOCK_OP_READ, (uint64_t)i * 1000), PS_OK);
	}
	while (got < 16) {
		ps_error_t e = block_get_ack(&p2, &a);
		if (e == PS_E_EMPTY) {
			block_wait(&p2);
			continue;
		}
		CHECK_EQ(e, PS_OK);
		CHECK(a.tag < 16 && !seen[a.tag]);
		seen[a.tag] = true;
		CHECK_EQ(a.status, PS_STATUS_OK);
		CHECK(pattern_diff(block_payload(&p2, &a), 2, a.tag * 1000 * BS, 64 * BS) < 0);
		block_free(&p2, &a);
		got++;
	}
}

/* One raw request: its acknowledgement's status. */
static unsigned raw(struct block_connection *c, unsigned op, uint64_t block, uint32_t nblocks,
		    uint32_t size)
{
	struct ps_desc d, a;
	ps_error_t e;

	if (block_alloc(c, nblocks, &d) != PS_OK)
		return 999;
	d.size = size;
	if (op == 99) {
		d.opcode = 99;
		d.arg = block;
		e = ps_submit(&c->src, &d);
	} else {
		e = block_submit(c, &d, op, block);
	}
	if (e != PS_OK)
		return 998;
	while ((e = block_get_ack(c, &a)) == PS_E_EMPTY)
		block_wait(c);
	if (e != PS_OK)
		return 997;
	block_free(c, &a);
	return a.status;
}

TEST(BLK_0007, "requests outside the policy are refused: beyond and across the end, writes and trims on read-only, partial blocks, an unknown opcode")
{
	CHECK_EQ(raw(&p1, BLOCK_OP_READ, p1_blocks, 1, BS), BLOCK_STATUS_RANGE);
	CHECK_EQ(raw(&p1, BLOCK_OP_READ, p1_blocks - 1, 2, 2 * BS), BLOCK_STATUS_RANGE);
	CHECK_EQ(raw(&p1, BLOCK_OP_WRITE, p1_blocks, 1, BS), BLOCK_STATUS_RANGE);
	CHECK_EQ(raw(&p1, BLOCK_OP_WRITE, ~0ull - 1, 4, 4 * BS), BLOCK_STATUS_RANGE);
	CHECK_EQ(raw(&p2, BLOCK_OP_WRITE, 0, 1, BS), BLOCK_STATUS_READONLY);
	CHECK_EQ(raw(&whole, BLOCK_OP_WRITE, 0, 1, BS), BLOCK_STATUS_READONLY);
	CHECK_EQ(raw(&p2, BLOCK_OP_TRIM, 0, 1, BS), PS_STATUS_BAD_OPCODE);
	CHECK_EQ(raw(&p1, BLOCK_OP_READ, 0, 1, 100), BLOCK_STATUS_RANGE);
	CHECK_EQ(raw(&p1, BLOCK_OP_WRITE, 0, 1, 0), BLOCK_STATUS_RANGE);
	CHECK_EQ(raw(&p1, 99, 0, 1, BS), PS_STATUS_BAD_OPCODE);
	/* nothing of it reached the disk */
	CHECK_EQ(block_read(&p2, 0, 1, buf), PS_STATUS_OK);
	CHECK(pattern_diff(buf, 2, 0, BS) < 0);
	CHECK_EQ(block_read(&whole, 0, 1, buf), PS_STATUS_OK);
	CHECK(buf[510] == 0x55 && buf[511] == 0xaa);
	CHECK_EQ(block_read(&whole, p1_start + p1_blocks, 1, buf), PS_STATUS_OK);
	CHECK(pattern_diff(buf, 2, 0, BS) < 0);
}

TEST(BLK_0008, "pattern 3 written over partition 1 (1 MiB requests, then 200 random rewrites), synced, read back")
{
	char hex[SHA256_HEX];

	for (uint64_t b = 0; b < p1_blocks; b += MIB / BS) {
		uint64_t n = p1_blocks - b < MIB / BS ? p1_blocks - b : MIB / BS;
		pattern_fill(buf, 3, b * BS, n * BS);
		CHECK_EQ(block_write(&p1, b, n, buf), PS_STATUS_OK);
	}
	for (int i = 0; i < 200; i++) {
		uint64_t n = 1 + next_rand() % 32, b = next_rand() % (p1_blocks - n + 1);
		pattern_fill(buf, 3, b * BS, n * BS);
		CHECK_EQ(block_write(&p1, b, n, buf), PS_STATUS_OK);
	}
	CHECK_EQ(block_sync(&p1), PS_STATUS_OK);
	read_all(&p1, p1_blocks, 3, hex);
	log("block_test: p1 sha256 %s", hex);
}

TEST(BLK_0009, "struct blk_dev over Block sessions: reads and writes, read-only and out-of-range refused, sync")
{
	struct blk_dev ro, rw;

	block_blk_dev(&p2, &ro);
	block_blk_dev(&p1, &rw);
	CHECK_EQ(ro.block_size, BS);
	CHECK_EQ(ro.count, p2_blocks);
	CHECK(!ro.writable && rw.writable);
	CHECK_EQ(ro.read(ro.ctx, 100, 16, buf), FS_OK);
	CHECK(pattern_diff(buf, 2, 100 * BS, 16 * BS) < 0);
	CHECK_EQ(ro.write(ro.ctx, 100, 16, buf), FS_E_ROFS);
	CHECK_EQ(ro.read(ro.ctx, p2_blocks - 1, 2, buf), FS_E_INVAL);
	/* partition 1 holds pattern 3: a block of it written again, read back */
	pattern_fill(buf, 3, 77 * BS, 3 * BS);
	CHECK_EQ(rw.write(rw.ctx, 77, 3, buf), FS_OK);
	CHECK_EQ(rw.sync(rw.ctx), FS_OK);
	memset(buf, 0, 3 * BS);
	CHECK_EQ(rw.read(rw.ctx, 77, 3, buf), FS_OK);
	CHECK(pattern_diff(buf, 3, 77 * BS, 3 * BS) < 0);
	CHECK_EQ(rw.write(rw.ctx, p1_blocks, 1, buf), FS_E_INVAL);
}

TEST(BLK_0010, "a second disk with an MBR (sfdisk): primary 2 holds pattern 4, logical 5 takes pattern 6")
{
	char hex[SHA256_HEX];

	CHECK_EQ(mbr2.count, mbr2_blocks);
	CHECK(!(mbr2.flags & BLOCK_WRITABLE));
	CHECK_EQ(mbr5.count, mbr5_blocks);
	CHECK(mbr5.flags & BLOCK_WRITABLE);
	read_all(&mbr2, mbr2_blocks, 4, hex);
	log("block_test: mbr2 sha256 %s", hex);
	for (uint64_t b = 0; b < mbr5_blocks; b += sizeof(buf) / BS) {
		uint64_t n = mbr5_blocks - b < sizeof(buf) / BS ? mbr5_blocks - b : sizeof(buf) / BS;
		pattern_fill(buf, 6, b * BS, n * BS);
		CHECK_EQ(block_write(&mbr5, b, n, buf), PS_STATUS_OK);
	}
	CHECK_EQ(block_sync(&mbr5), PS_STATUS_OK);
	CHECK_EQ(raw(&mbr5, BLOCK_OP_WRITE, mbr5_blocks, 1, BS), BLOCK_STATUS_RANGE);
	read_all(&mbr5, mbr5_blocks, 6, hex);
	log("block_test: mbr5 sha256 %s", hex);
}

static void setup(void)
{
	struct config_rom cfg;

	CHECK_OK(config_rom_open(&cfg, "config", 0, 0, 0));
	CHECK(cfg.node);
	CHECK(cfg_attr_u64(cfg.node, "p1_start", 0, &p1_start) == 1 && p1_start);
	CHECK(cfg_attr_u64(cfg.node, "p1_blocks", 0, &p1_blocks) == 1 && p1_blocks >= 64);
	CHECK(cfg_attr_u64(cfg.node, "p2_blocks", 0, &p2_blocks) == 1 && p2_blocks >= 16064);
	CHECK(cfg_attr_u64(cfg.node, "disk_blocks", 0, &disk_blocks) == 1 && disk_blocks);
	/* the second disk (MBR) only where the scenario has one */
	CHECK(cfg_attr_u64(cfg.node, "mbr2_blocks", 0, &mbr2_blocks) >= 0);
	CHECK(cfg_attr_u64(cfg.node, "mbr5_blocks", 0, &mbr5_blocks) >= 0);
	CHECK(!mbr2_blocks == !mbr5_blocks);
	config_rom_close(&cfg, 0);
	connect(&p1, "p1", 2 * MIB);
	connect(&p2, "p2", 2 * MIB);
	connect(&whole, "whole", 256 * 1024);
	if (mbr2_blocks) {
		connect(&mbr2, "mbr2", MIB);
		connect(&mbr5, "mbr5", MIB);
	}
}

/* BLK_0010 needs the second disk: run only where the config names it (the
 * config is read again here: selection comes before the setup). */
static int selected(const char *id)
{
	struct config_rom cfg;
	uint64_t n = 0;

	if (strcmp(id, "BLK_0010"))
		return 1;
	if (config_rom_open(&cfg, "config", 0, 0, 0) != RPC_OK)
		return 1;
	if (cfg.node)
		cfg_attr_u64(cfg.node, "mbr2_blocks", 0, &n);
	config_rom_close(&cfg, 0);
	return n != 0;
}

void component_construct(struct component_env *env)
{
	static const struct test_suite suite = {
		.name = "block_test", .setup = setup, .selected = selected,
	};

	(void)env;
	component_exit(test_run(&suite) ? 1 : 0);
}
