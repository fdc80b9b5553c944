/*
 * packet_stream_bench: the figure packet_stream_4k (bench/README.md): one
 * 4 KiB packet allocated, submitted, processed by the sink in another
 * component (it inverts the 4 KiB), acknowledged and freed, measured in
 * guest instructions under -icount shift=0 (rdtsc). The source waits on
 * its notification while the sink, at a lower priority, runs: nothing
 * halts, so elapsed instructions are busy instructions.
 */
#include <argil/kernel.h>
#include "../conn.h"

#define WARMUP 20
#define RUNS 201

static inline uint64_t ts(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t samples[RUNS], overhead[RUNS];

TEST(PSB_0001, "packet_stream_4k: one 4 KiB packet through a sink in another component")
{
	struct conn c;
	struct ps_desc d, a;

	conn_open(&c, 0, 64 * 1024, 16);
	for (int i = 0; i < WARMUP + RUNS; i++) {
		uint64_t t0 = ts();
		CHECK_EQ(ps_alloc(&c.src, 4096, &d), PS_OK);
		d.opcode = PSINK_OP_INVERT;
		d.tag = (uint64_t)i;
		CHECK_EQ(ps_submit(&c.src, &d), PS_OK);
		CHECK_EQ(wait_ack(&c, &a), PS_OK);
		CHECK_EQ(ps_free(&c.src, &a), PS_OK);
		uint64_t t1 = ts();
		CHECK_EQ(a.tag, (uint64_t)i);
		CHECK_EQ(a.status, PS_STATUS_OK);
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	for (int i = 0; i < RUNS; i++) {
		uint64_t t0 = ts();
		uint64_t t1 = ts();
		overhead[i] = t1 - t0;
	}
	bench_sort(samples, RUNS);
	bench_sort(overhead, RUNS);
	uint64_t o = overhead[RUNS / 2];
	printf("packet_stream_bench: packet_stream_4k: median %lu min %lu max %lu (%d runs, timestamp overhead %lu subtracted)\n",
	       samples[RUNS / 2] - o, samples[0] - o, samples[RUNS - 1] - o, RUNS, o);
	bench_line("packet_stream_4k", samples[RUNS / 2] - o, "instructions");
	conn_close(&c);
}

static void setup(void)
{
	start_sink();
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("packet_stream_bench", setup);
}
