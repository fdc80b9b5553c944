/*
 * The restart cases of nvme_block_test (run/nvme_restart): the NVMe
 * driver runs in a nested init `drivers` whose config this component
 * writes (report "drivers.config"); raising the driver's version makes
 * init kill it and start it anew. Each round writes 512 KiB of the
 * pattern in 32 requests, all in flight, restarts the driver at once,
 * and then waits for every acknowledgement: the multiplexer gives the
 * requests the old driver had not finished to the new one, so each must
 * come back OK. The round's range is read back (through the new driver)
 * and compared; after the last round a SYNC, and every round's range is
 * read once more.
 *
 *   NVRST_0001.. one a round: writes across a restart, read back
 *   NVRST_0100   after SYNC, all rounds' ranges hold the pattern
 *
 * The host check (check_disks.py --restart) finds the pattern in the
 * image and every other byte unchanged.
 */
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <report_session.h>
#include "test.h"

#define ROUND (512u * 1024)
#define PIECE (16u * 1024)

static const char *const drivers_config =
	"<config>\n"
	"  <parent-provides>\n"
	"    <service name=\"ROM\"/> <service name=\"LOG\"/> <service name=\"PD\"/>\n"
	"    <service name=\"CPU\"/> <service name=\"Timer\"/> <service name=\"Platform\"/>\n"
	"    <service name=\"Block_driver\"/>\n"
	"  </parent-provides>\n"
	"  <default-route> <any-service> <parent/> </any-service> </default-route>\n"
	"  <start name=\"nvme\" ram=\"8M\" caps=\"300\" version=\"%u\">\n"
	"    <binary name=\"nvme\"/> <config/>\n"
	"  </start>\n"
	"</config>\n";

static struct reporter rep;
static uint8_t buf[ROUND];

static bool start_driver(unsigned version)
{
	char doc[1024];
	int n = snprintf(doc, sizeof(doc), drivers_config, version);

	return reporter_submit(&rep, doc, (word_t)n) == RPC_OK;
}

static void fill(uint8_t *to, uint32_t nsid, uint64_t at, uint32_t bytes, uint32_t bs)
{
	for (uint32_t off = 0; off < bytes; off += 8) {
		uint64_t v = pattern(nsid, (at + off) / bs, ((at + off) % bs) / 8);
		memcpy(to + off, &v, 8);
	}
}

static bool same(const uint8_t *have, uint32_t nsid, uint64_t at, uint32_t bytes, uint32_t bs)
{
	for (uint32_t off = 0; off < bytes; off += 8) {
		uint64_t v = pattern(nsid, (at + off) / bs, ((at + off) % bs) / 8);
		if (memcmp(have + off, &v, 8))
			return false;
	}
	return true;
}

/* The round's writes: allocated, filled, submitted, the driver restarted,
 * then every acknowledgement awaited. */
static bool writes_across_restart(struct session *s, uint32_t nsid, uint64_t at, unsigned version)
{
	struct req rs[INFLIGHT];
	bool ok = true;

	fill(buf, nsid, at, ROUND, s->block_size);
	for (unsigned i = 0; i < ROUND / PIECE; i++) {
		memset(&rs[i], 0, sizeof(rs[i]));
		if (ps_alloc(&s->c.src, PIECE, &rs[i].d) != PS_OK) {
			log("FAIL %s: no payload space", s->disk);
			return false;
		}
		rs[i].op = BLOCK_OP_WRITE;
		rs[i].block = (at + i * PIECE) / s->block_size;
		memcpy(ps_payload(&s->c.src.e, &rs[i].d), buf + i * PIECE, PIECE);
	}
	ok = submit_all(s, rs, ROUND / PIECE);
	if (ok && !start_driver(version)) {
		log("FAIL %s: the drivers' config not submitted", s->disk);
		ok = false;
	}
	ok = ok && wait_acks(s, rs, ROUND / PIECE);
	for (unsigned i = 0; i < ROUND / PIECE; i++) {
		if (rs[i].status != PS_STATUS_OK) {
			log("FAIL %s: write of block %lu: %s", s->disk, (unsigned long)rs[i].block,
			    block_status_name(rs[i].status));
			ok = false;
		}
		ps_free(&s->c.src, &rs[i].d);
	}
	return ok;
}

static bool read_back(struct session *s, uint32_t nsid, uint64_t at)
{
	uint32_t sizes[8];

	for (unsigned i = 0; i < 8; i++)
		sizes[i] = ROUND / 8;
	memset(buf, 0, ROUND);
	return transfer(s, BLOCK_OP_READ, at, sizes, 8, buf) &&
	       same(buf, nsid, at, ROUND, s->block_size);
}

void restart_test(const struct expect *x, unsigned restarts)
{
	static struct session s;
	char id[16], line[120];
	rpc_status_t st;

	st = reporter_open(&rep, "drivers.config", 1024);
	if (st != RPC_OK || !start_driver(0)) {
		log("FAIL report drivers.config: %s", rpc_status_name(st));
		failed++;
		return;
	}
	st = block_connect(&s.c, x->name, STREAM, 0, 0);
	if (st != RPC_OK) {
		log("FAIL %s: no Block session: %s", x->name, rpc_status_name(st));
		failed++;
		return;
	}
	s.disk = x->name;
	s.block_size = s.c.block_size;
	s.count = s.c.count;
	s.flags = s.c.flags;
	s.max_request = s.c.max_io;
	if ((uint64_t)PATTERN_AT + (uint64_t)restarts * ROUND > s.count * s.block_size) {
		result(false, "NVRST_0001", s.disk, "the disk is too small for the rounds");
		return;
	}
	for (unsigned r = 0; r < restarts; r++) {
		uint64_t at = PATTERN_AT + (uint64_t)r * ROUND;
		bool ok = writes_across_restart(&s, 1, at, r + 1) && read_back(&s, 1, at);
		snprintf(id, sizeof(id), "NVRST_%04u", r + 1);
		snprintf(line, sizeof(line), "round %u: %u writes in flight across restart %u, read back",
			 r + 1, ROUND / PIECE, r + 1);
		result(ok, id, s.disk, line);
	}
	unsigned sync = single(&s, BLOCK_OP_SYNC, 0, 0);
	bool ok = sync == PS_STATUS_OK;
	for (unsigned r = 0; r < restarts && ok; r++)
		ok = read_back(&s, 1, PATTERN_AT + (uint64_t)r * ROUND);
	snprintf(line, sizeof(line), "SYNC (%u), %u rounds read back", sync, restarts);
	result(ok, "NVRST_0100", s.disk, line);
	block_disconnect(&s.c);
}
