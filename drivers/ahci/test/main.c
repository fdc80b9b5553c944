/*
 * ahci_block_test: a client of the block multiplexer that checks disks
 * the ahci driver serves (run/ahci_test). For each <disk label=".."
 * sectors=".." write_lba=".." write_sectors=".." seed=".."/> of its config
 * it opens a Block session with that label and checks the size, reads the
 * whole disk with several requests in flight (its SHA-256 logged for the
 * host to compare with the image it made), writes a pattern (each sector
 * stamped with its LBA and the seed, as drivers/ahci/test/check_disk.py
 * expects), syncs, reads it back, and sees a request past the end
 * refused. With rounds="N" it then writes the pattern N times more (seed
 * + 1 .. seed + N), each synced and read back; with <config until="ROM">
 * at least N times and until that ROM holds a node with done="yes" (at
 * most ROUNDS_MAX: run/ahci_restart, while the driver is killed and
 * restarted). The last seed is logged. The host then checks the image.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <block_connection.h>
#include <harness.h>
#include <sha256.h>

#define STREAM (1u << 20)
#define CHUNK (64u * 1024)
#define WINDOW 12u
#define SECTOR_MAX 4096u

struct disk_cfg {
	const char *label;
	uint64_t sectors, write_lba, write_sectors, seed, rounds;
};

#define ROUNDS_MAX 10000u
static const char *until_rom;     /* config "until": keep going until it says done */
static struct config_rom until;

static uint8_t round_buf[WINDOW * CHUNK];
static struct block_connection conn;

static void stamp(uint8_t *s, uint64_t lba, uint64_t seed, uint32_t size)
{
	memcpy(s, &lba, 8);
	memcpy(s + 8, &seed, 8);
	for (uint32_t i = 16; i < size; i++)
		s[i] = (uint8_t)(lba * 31 + seed * 7 + i);
}

/* One round: up to WINDOW requests of CHUNK bytes from lba on, all in
 * flight together; reads land in round_buf in disk order, writes are
 * taken from it. Returns the blocks done (0 on a failure). */
static uint64_t round_trip(struct block_connection *c, unsigned op, uint64_t lba, uint64_t n)
{
	uint32_t bs = c->block_size, per = CHUNK / bs;
	unsigned submitted = 0, acked = 0;
	uint64_t first = lba;
	bool ok = true;

	while (submitted < WINDOW && n) {
		struct ps_desc d;
		uint32_t k = n < per ? (uint32_t)n : per;
		if (block_alloc(c, k, &d) != PS_OK)
			break;
		if (op == BLOCK_OP_WRITE)
			memcpy(block_payload(c, &d), round_buf + (lba - first) * bs, (size_t)k * bs);
		d.tag = lba;
		while (block_submit(c, &d, op, lba) == PS_E_FULL)
			block_wait(c);
		submitted++;
		lba += k;
		n -= k;
	}
	while (acked < submitted) {
		struct ps_desc a;
		ps_error_t e = block_get_ack(c, &a);
		if (e == PS_E_EMPTY) {
			block_wait(c);
			continue;
		}
		if (e != PS_OK)
			return 0;
		acked++;
		if (a.status != PS_STATUS_OK) {
			log("%s of block %lu failed: %s", op == BLOCK_OP_READ ? "read" : "write",
			    (unsigned long)a.tag, block_status_name(a.status));
			ok = false;
		} else if (op == BLOCK_OP_READ)
			memcpy(round_buf + (a.tag - first) * bs, block_payload(c, &a), a.size);
		block_free(c, &a);
	}
	return ok ? lba - first : 0;
}

/* The pattern of seed over [wl, wl + wn): written, synced, read back;
 * false if a request failed, *bad the blocks that differ. */
static bool write_verify(struct block_connection *c, uint64_t wl, uint64_t wn, uint64_t seed,
			 uint64_t *bad)
{
	static uint8_t want[SECTOR_MAX];
	uint32_t bs = c->block_size;
	bool ok = wn && wl + wn <= c->count;

	for (uint64_t lba = wl; ok && lba < wl + wn;) {
		uint64_t n = wl + wn - lba, max = WINDOW * (CHUNK / bs);
		if (n > max)
			n = max;
		for (uint64_t s = 0; s < n; s++)
			stamp(round_buf + s * bs, lba + s, seed, bs);
		uint64_t k = round_trip(c, BLOCK_OP_WRITE, lba, n);
		ok = k != 0;
		lba += k;
	}
	unsigned sst = ok ? block_sync(c) : PS_STATUS_ERROR;
	if (sst != PS_STATUS_OK) {
		log("sync failed: %s", block_status_name(sst));
		ok = false;
	}
	for (uint64_t lba = wl; ok && lba < wl + wn;) {
		uint64_t k = round_trip(c, BLOCK_OP_READ, lba, wl + wn - lba);
		ok = k != 0;
		for (uint64_t s = 0; s < k; s++) {
			stamp(want, lba + s, seed, bs);
			*bad += memcmp(want, round_buf + s * bs, bs) != 0;
		}
		lba += k;
	}
	if (*bad)
		log("%lu blocks differ from the pattern of seed %lu", (unsigned long)*bad,
		    (unsigned long)seed);
	return ok;
}

static bool until_done(void)
{
	return config_rom_update(&until) && cfg_attr_is(until.node, "done", "yes");
}

static void test_disk(const struct disk_cfg *cfg, unsigned index)
{
	struct block_connection *c = &conn;
	char id[16], desc[96];
	rpc_status_t st = block_connect(c, cfg->label, STREAM, 64, 0);

	snprintf(id, sizeof(id), "ABT_%02u01", index);
	snprintf(desc, sizeof(desc), "%s: a writable disk of %lu blocks of 512 bytes", cfg->label,
		 (unsigned long)cfg->sectors);
	if (st != RPC_OK)
		log("%s: no Block session: %s", cfg->label, rpc_status_name(st));
	CHECK_CASE(id, desc, st == RPC_OK && c->block_size == 512 && c->count == cfg->sectors &&
			     (c->flags & BLOCK_WRITABLE));
	if (st != RPC_OK || c->block_size > SECTOR_MAX || c->block_size < 512)
		return;
	uint32_t bs = c->block_size;

	/* the whole disk */
	struct sha256 sh;
	uint8_t dg[SHA256_DIGEST];
	char hex[SHA256_HEX];
	bool ok = true;
	sha256_init(&sh);
	for (uint64_t lba = 0; ok && lba < c->count;) {
		uint64_t k = round_trip(c, BLOCK_OP_READ, lba, c->count - lba);
		ok = k != 0;
		sha256_update(&sh, round_buf, (size_t)(k * bs));
		lba += k;
	}
	sha256_final(&sh, dg);
	sha256_hex(dg, hex);
	log("%s: sha256 %s of %lu bytes", cfg->label, ok ? hex : "(read failed)",
	    (unsigned long)(c->count * bs));
	snprintf(id, sizeof(id), "ABT_%02u02", index);
	CHECK_CASE(id, "the whole disk read, many requests in flight (SHA-256 for the host)", ok);

	/* the pattern */
	uint64_t bad = 0;
	ok = write_verify(c, cfg->write_lba, cfg->write_sectors, cfg->seed, &bad);
	snprintf(id, sizeof(id), "ABT_%02u03", index);
	CHECK_CASE(id, "the pattern written and synced, and it reads back", ok && !bad);

	/* past the end */
	uint8_t one[SECTOR_MAX];
	unsigned rst = block_read(c, c->count, 1, one);
	snprintf(id, sizeof(id), "ABT_%02u04", index);
	CHECK_CASE(id, "a read past the end is refused as out of range", rst == BLOCK_STATUS_RANGE);

	if (cfg->rounds) {
		unsigned failed_rounds = 0;
		uint64_t r = 1;
		for (;; r++) {
			bad = 0;
			if (!write_verify(c, cfg->write_lba, cfg->write_sectors, cfg->seed + r, &bad) || bad)
				failed_rounds++;
			if (r >= cfg->rounds && (!until_rom || until_done()))
				break;
			if (r == ROUNDS_MAX) {
				log("%s: ROM %s still not done after %u rounds", cfg->label, until_rom,
				    ROUNDS_MAX);
				failed_rounds++;
				break;
			}
		}
		log("%s: %lu rounds of the pattern written, synced and read back, %u failed; "
		    "last seed %lu", cfg->label, (unsigned long)r, failed_rounds,
		    (unsigned long)(cfg->seed + r));
		snprintf(id, sizeof(id), "ABT_%02u05", index);
		CHECK_CASE(id, "each round of the pattern written, synced and read back", !failed_rounds);
	}
	block_disconnect(c);
}

void component_construct(struct component_env *env)
{
	struct config_rom cfg;
	unsigned n = 0, bad = 0;

	(void)env;
	if (config_rom_open(&cfg, "config", 0, 0, 0) != RPC_OK || !cfg.node) {
		log("error: no config");
		component_exit(1);
	}
	until_rom = cfg_attr(cfg.node, "until");
	if (until_rom && config_rom_open(&until, until_rom, 0, 0, 0) != RPC_OK) {
		log("error: no ROM %s", until_rom);
		component_exit(1);
	}
	for (const struct cfg_node *d = cfg_child(cfg.node, "disk"); d; d = cfg_next(d, "disk")) {
		struct disk_cfg c = { .label = cfg_attr(d, "label") };
		bool good = c.label && cfg_attr_u64(d, "sectors", 0, &c.sectors) > 0 &&
			    cfg_attr_u64(d, "write_lba", 0, &c.write_lba) >= 0 &&
			    cfg_attr_u64(d, "write_sectors", 0, &c.write_sectors) >= 0 &&
			    cfg_attr_u64(d, "seed", 1, &c.seed) >= 0 &&
			    cfg_attr_u64(d, "rounds", 0, &c.rounds) >= 0;
		if (!good)
			log("error: config: a <disk> needs label and sectors; write_lba, "
			    "write_sectors, seed and rounds must be numbers");
		bad += !good;
		if (good)
			test_disk(&c, ++n);
	}
	CHECK_CASE("ABT_9900", "the config names disks, all well-formed", n > 0 && !bad);
	test_done("ahci_block_test");
	config_rom_close(&cfg, 0);
}
