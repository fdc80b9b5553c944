/*
 * block_bench (run/block_bench, `make bench`): one request at a time
 * through a Block session of the multiplexer to virtio_blk and QEMU's
 * virtio-blk, sequential over the disk: block_read_4k, block_read_1m,
 * block_write_1m. Each figure is the median of 201 requests after 20
 * untimed ones, in busy instructions (argil/busy.h: the CPU halts while
 * QEMU does the transfer): from the submit to the acknowledgement taken,
 * the data read where it lies in the stream's payload (as a client that
 * reads into its own buffer with O_DIRECT), the data written put there
 * before the request starts.
 */
#include <argil/busy.h>
#include <argil/component.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <block_connection.h>

#define WARMUP 20
#define RUNS 201

static struct block_connection c;

static bool one(unsigned op, uint64_t block, uint32_t nblocks, uint64_t *busy, uint64_t *el)
{
	struct ps_desc d, a;
	struct busy_clock clock;
	ps_error_t e;

	if (block_alloc(&c, nblocks, &d) != PS_OK)
		return false;
	if (op == BLOCK_OP_WRITE)
		memset(block_payload(&c, &d), (int)(block & 0xff), (size_t)nblocks * c.block_size);
	busy_start(&clock);
	if (block_submit(&c, &d, op, block) != PS_OK)
		return false;
	while ((e = block_get_ack(&c, &a)) == PS_E_EMPTY)
		block_wait(&c);
	*busy = busy_instructions(&clock, el);
	block_free(&c, &a);
	return e == PS_OK && a.status == PS_STATUS_OK;
}

static bool figure(const char *name, unsigned op, uint32_t bytes)
{
	static uint64_t t[RUNS], el[RUNS];
	uint32_t n = bytes / c.block_size;
	uint64_t block = 0;

	for (int i = 0; i < WARMUP + RUNS; i++) {
		uint64_t busy, elapsed;
		if (block + n > c.count)
			block = 0;
		if (!one(op, block, n, &busy, &elapsed)) {
			log("FAIL block_bench: %s: request %d failed", name, i);
			return false;
		}
		block += n;
		if (i >= WARMUP) {
			t[i - WARMUP] = busy;
			el[i - WARMUP] = elapsed;
		}
	}
	bench_sort(t, RUNS);
	bench_sort(el, RUNS);
	log("block_bench: %s: busy median %lu min %lu max %lu, elapsed median %lu (%d runs)", name,
	    t[RUNS / 2], t[0], t[RUNS - 1], el[RUNS / 2], RUNS);
	bench_line(name, t[RUNS / 2], "instructions");
	return true;
}

void component_construct(struct component_env *env)
{
	rpc_status_t st;

	(void)env;
	st = block_connect(&c, "bench", 4ul << 20, 0, 0);
	if (st != RPC_OK) {
		log("FAIL block_bench: no Block session: %s", rpc_status_name(st));
		component_exit(1);
	}
	if (figure("block_read_4k", BLOCK_OP_READ, 4096) &&
	    figure("block_read_1m", BLOCK_OP_READ, 1u << 20) &&
	    figure("block_write_1m", BLOCK_OP_WRITE, 1u << 20))
		log("block_bench: done");
	component_exit(0);
}
