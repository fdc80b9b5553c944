/*
 * Kernel micro-benchmarks: the root task. Runs every benchmark once and
 * prints one JSON line per figure, then "kernel_bench: done", then halts.
 * What each figure measures: bench/README.md.
 */
#include "bench.h"

struct env bench_env;
struct vspace bench_vs;

/* vspace_clone copies the image page by page; keep a data segment in it */
volatile word_t bench_image_marker = 0x6172676c;

static word_t overhead;   /* median cost of two back-to-back timestamps */

void fail(const char *what, word_t value)
{
	printf("FAIL kernel_bench: %s (%lu)\n", what, value);
	sys_debug_halt(1);
	for (;;)
		;
}

void check(word_t err, const char *what)
{
	if (err != E_OK)
		fail(what, err);
}

static word_t less_overhead(word_t v)
{
	return v > overhead ? v - overhead : 0;
}

void report(const char *name, word_t *samples, int n)
{
	bench_sort(samples, n);
	word_t med = less_overhead(samples[n / 2]);
	word_t min = less_overhead(samples[0]);
	word_t max = less_overhead(samples[n - 1]);

	printf("kernel_bench: %s: median %lu min %lu max %lu (%d runs, timestamp overhead %lu subtracted)\n",
	       name, med, min, max, n, overhead);
	printf("{\"bench\": \"%s\", \"value\": %lu, \"unit\": \"instructions\"}\n", name, med);
}

cptr_t start_remote(void *fn, word_t a0, word_t a1, word_t prio, cptr_t fault_ep)
{
	struct thread t;

	check(thread_create_in(&bench_env, &t, &bench_vs, INIT_CNODE, 0, fault_ep, THREAD_SELF),
	      "creating a thread in the other address space");
	check(thread_start(&t, fn, a0, a1, prio, 0), "starting a thread in the other address space");
	return t.tcb;
}

void *share_page(word_t *remote)
{
	void *p = vspace_share(&bench_env, &bench_vs, remote);

	if (!p)
		fail("sharing a page with the other address space", 0);
	return p;
}

/* Two back-to-back timestamps, measured like every benchmark: median. */
static void measure_overhead(void)
{
	static word_t s[RUNS];

	for (int i = -WARMUP; i < RUNS; i++) {
		word_t t0 = ts();
		word_t t1 = ts();

		if (i >= 0)
			s[i] = t1 - t0;
	}
	bench_sort(s, RUNS);
	overhead = s[RUNS / 2];
}

int main(struct bootinfo *bi)
{
	check(env_init(&bench_env, bi), "env_init");
	check(tcb_set_priority(INIT_TCB, INIT_TCB, ROOT_PRIO), "root priority");
	check(vspace_clone(&bench_env, &bench_vs), "making the second address space");
	measure_overhead();

	bench_ipc();
	bench_yield();
	bench_signal();
	bench_map();
	bench_fault();

	printf("kernel_bench: done\n");
	sys_debug_halt(0);
	return 0;
}
