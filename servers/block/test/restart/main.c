/*
 * block_restart_test (run/block_restart): the disk's driver is restarted
 * while this client's requests are in flight, and nothing may be lost or
 * wrong. The driver (virtio_blk) runs in a nested init whose config this
 * component writes (report "drivers.config"); each round it
 *
 *   submits 16 writes of 32 KiB (pattern 5, the round's own 512 KiB of
 *   partition 1) and 8 reads of the previous round's blocks,
 *   raises the driver's version at once (init kills it, starts it anew),
 *   waits for every acknowledgement (the multiplexer submits what the
 *   dead driver had to the next one), checks them,
 *   waits until the multiplexer's block_devices report shows the new
 *   driver session.
 *
 * Then it reads everything written and logs its digest; the host checks
 * the image (check_disk.py).
 *
 *   <config rounds="20" p1_blocks="16384"/>
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <block_connection.h>
#include <harness.h>
#include <report_session.h>
#include <sha256.h>
#include "../pattern.h"

#define BS 512u
#define WRITES 16
#define WRITE_BLOCKS 64          /* 32 KiB */
#define READS 8
#define ROUND_BLOCKS (WRITES * WRITE_BLOCKS)
#define SEED 5

static const char *const drivers_config =
	"<config>\n"
	"  <parent-provides>\n"
	"    <service name=\"ROM\"/> <service name=\"LOG\"/> <service name=\"PD\"/>\n"
	"    <service name=\"CPU\"/> <service name=\"Platform\"/> <service name=\"Block_driver\"/>\n"
	"  </parent-provides>\n"
	"  <default-route> <any-service> <parent/> </any-service> </default-route>\n"
	"  <start name=\"virtio_blk\" ram=\"8M\" caps=\"200\" version=\"%u\">\n"
	"    <binary name=\"virtio_blk\"/>\n"
	"  </start>\n"
	"</config>\n";

static struct block_connection p1;
static struct reporter rep;
static struct config_rom devices;
static uint64_t rounds, p1_blocks;
static uint8_t buf[ROUND_BLOCKS * BS];

static void set_version(unsigned v)
{
	char doc[1024];
	int n = snprintf(doc, sizeof(doc), drivers_config, v);

	CHECK_OK(reporter_submit(&rep, doc, (word_t)n));
}

static uint64_t replayed;

/* The multiplexer's count of driver sessions for vd0 (0: none yet). */
static uint64_t driver_sessions(bool *ready)
{
	uint64_t n = 0;

	*ready = false;
	if (!config_rom_update(&devices))
		return 0;
	for (const struct cfg_node *d = cfg_child(devices.node, "disk"); d; d = cfg_next(d, "disk"))
		if (cfg_attr_is(d, "name", "vd0")) {
			cfg_attr_u64(d, "driver_sessions", 0, &n);
			cfg_attr_u64(d, "replayed", 0, &replayed);
			*ready = cfg_attr_is(d, "state", "ready");
		}
	return n;
}

static void wait_driver(uint64_t sessions)
{
	bool ready;

	while (driver_sessions(&ready) < sessions || !ready)
		ep_wait_signal(&component_env()->ep, &devices.sig);
}

static void on_devices(void *arg)
{
	(void)arg;
}

TEST(BLR_0001, "writes and reads in flight while the driver is restarted, each round: all acknowledged OK, reads right")
{
	for (unsigned round = 0; round < rounds; round++) {
		struct ps_desc d, a;
		uint64_t base = (uint64_t)round * ROUND_BLOCKS;
		unsigned outstanding = 0;
		ps_error_t e;

		for (unsigned i = 0; i < WRITES; i++) {
			uint64_t b = base + i * WRITE_BLOCKS;
			CHECK_EQ(block_alloc(&p1, WRITE_BLOCKS, &d), PS_OK);
			pattern_fill(block_payload(&p1, &d), SEED, b * BS, WRITE_BLOCKS * BS);
			d.tag = b;
			CHECK_EQ(block_submit(&p1, &d, BLOCK_OP_WRITE, b), PS_OK);
			outstanding++;
		}
		for (unsigned i = 0; round && i < READS; i++) {
			uint64_t b = base - ROUND_BLOCKS + i * (ROUND_BLOCKS / READS);
			CHECK_EQ(block_alloc(&p1, WRITE_BLOCKS, &d), PS_OK);
			d.tag = b | (1ull << 63);
			CHECK_EQ(block_submit(&p1, &d, BLOCK_OP_READ, b), PS_OK);
			outstanding++;
		}
		/* the driver goes while they are in flight */
		set_version(round + 1);
		while (outstanding) {
			e = block_get_ack(&p1, &a);
			if (e == PS_E_EMPTY) {
				block_wait(&p1);
				continue;
			}
			CHECK_EQ(e, PS_OK);
			CHECK_MSG(a.status == PS_STATUS_OK, "round %u: block %lu: %s", round,
				  (unsigned long)(a.tag & ~(1ull << 63)), block_status_name(a.status));
			if (a.tag >> 63) {
				uint64_t b = a.tag & ~(1ull << 63);
				CHECK_MSG(pattern_diff(block_payload(&p1, &a), SEED, b * BS,
						       WRITE_BLOCKS * BS) < 0,
					  "round %u: read of block %lu wrong", round, (unsigned long)b);
			}
			block_free(&p1, &a);
			outstanding--;
		}
		wait_driver(round + 2);
	}
	log("block_restart_test: %lu restarts; the multiplexer submitted %lu requests again to "
	    "a restarted driver", (unsigned long)rounds, (unsigned long)replayed);
}

TEST(BLR_0002, "everything written reads back right after the last restart; synced")
{
	struct sha256 s;
	uint8_t dg[SHA256_DIGEST];
	char hex[SHA256_HEX];
	uint64_t total = rounds * ROUND_BLOCKS;

	CHECK_EQ(block_sync(&p1), PS_STATUS_OK);
	sha256_init(&s);
	for (uint64_t b = 0; b < total; b += ROUND_BLOCKS) {
		CHECK_EQ(block_read(&p1, b, ROUND_BLOCKS, buf), PS_STATUS_OK);
		CHECK_MSG(pattern_diff(buf, SEED, b * BS, sizeof(buf)) < 0, "blocks from %lu",
			  (unsigned long)b);
		sha256_update(&s, buf, sizeof(buf));
	}
	sha256_final(&s, dg);
	sha256_hex(dg, hex);
	log("block_restart_test: written sha256 %s", hex);
}

static void setup(void)
{
	struct config_rom cfg;

	CHECK_OK(config_rom_open(&cfg, "config", 0, 0, 0));
	CHECK(cfg.node);
	CHECK(cfg_attr_u64(cfg.node, "rounds", 0, &rounds) == 1 && rounds);
	CHECK(cfg_attr_u64(cfg.node, "p1_blocks", 0, &p1_blocks) == 1);
	config_rom_close(&cfg, 0);
	CHECK(rounds * ROUND_BLOCKS <= p1_blocks);
	CHECK_OK(reporter_open(&rep, "drivers.config", 1024));
	CHECK_OK(config_rom_open(&devices, "block_devices", &component_env()->ep, on_devices, 0));
	set_version(0);
	CHECK_OK(block_connect(&p1, "p1", 2ul << 20, 0, 0));
	CHECK(p1.flags & BLOCK_WRITABLE);
	wait_driver(1);
}

void component_construct(struct component_env *env)
{
	static const struct test_suite suite = { .name = "block_restart_test", .setup = setup };

	(void)env;
	component_exit(test_run(&suite) ? 1 : 0);
}
