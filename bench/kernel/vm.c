/*
 * map_page_4k: one FRAME_MAP of a 4 KiB frame into an existing page table.
 * fault_roundtrip: a page fault in the other address space, resolved by a
 * handler in the root task that maps the page.
 */
#include "bench.h"

#define LABEL_DONE 99   /* faulting thread -> handler: one access timed */

void bench_map(void)
{
	static word_t s[RUNS];
	cptr_t probe;
	/* env_page maps a page into the root's scratch page table; unmapping
	 * it leaves a free entry in a page table that exists */
	volatile word_t *p = env_page(&bench_env, &probe);
	cptr_t f = env_obj(&bench_env, OBJ_FRAME_4K, 0);

	if (!p || !f)
		fail("map: no memory", 0);
	check(frame_unmap(probe), "map: unmapping the probe page");
	for (int i = -WARMUP; i < RUNS; i++) {
		root_ipc()->caps[0] = INIT_VSPACE;
		word_t t0 = ts();
		word_t err = frame_map_raw(f, (word_t)p, RIGHT_READ | RIGHT_WRITE, 0);
		word_t t1 = ts();

		check(err, "map_page_4k: FRAME_MAP");
		p[0] = (word_t)i;               /* the mapping works */
		if (p[0] != (word_t)i)
			fail("map_page_4k: page does not keep a value", p[0]);
		check(frame_unmap(f), "map_page_4k: FRAME_UNMAP");
		if (i >= 0)
			s[i] = t1 - t0;
	}
	report("map_page_4k", s, RUNS);
}

struct fault_shared {
	volatile word_t t0;       /* faulting thread: just before the access */
	volatile word_t cost;     /* faulting thread: just after it, minus t0 */
	volatile word_t done_ep;  /* where it reports each timed access */
};

/* Runs in the other address space: touch va, which the handler maps. */
static word_t faulter(word_t va, word_t shared)
{
	struct fault_shared *sh = (struct fault_shared *)shared;
	cptr_t done = sh->done_ep;

	for (;;) {
		word_t v;

		sh->t0 = ts();
		__asm__ volatile("mov (%1), %0" : "=r"(v) : "r"(va) : "memory");
		word_t t1 = ts();

		(void)v;
		sh->cost = t1 - sh->t0;
		sys0(SYS_CALL, done, mi_make(LABEL_DONE, 0, 0, 0));   /* the handler unmaps the page */
	}
	return 0;
}

void bench_fault(void)
{
	static word_t s[RUNS];
	/* last page of the region the other address space's remote page
	 * table covers: the page table exists, the page is not mapped */
	const word_t va = REMOTE_REGION + (1ul << 21) - PAGE;
	word_t remote;
	struct fault_shared *sh = share_page(&remote);
	cptr_t ep = env_obj(&bench_env, OBJ_ENDPOINT, 0);
	cptr_t f = env_obj(&bench_env, OBJ_FRAME_4K, 0);
	int faults = 0;

	if (!ep || !f)
		fail("fault: no memory", 0);
	if (remote >= va)
		fail("fault: shared pages reach the faulting page", remote);
	sh->done_ep = ep;
	cptr_t t = start_remote(faulter, va, remote, ROOT_PRIO, ep);

	word_t addr;
	word_t info = sys0_mr1(SYS_RECV, ep, 0, &addr);

	for (int i = -WARMUP;;) {
		word_t label = mi_label(info);

		if (label == FAULT_PAGE) {
			if (addr != va)
				fail("fault: fault at an unexpected address", addr);
			if (++faults > 1)
				fail("fault: the access faulted again after the page was mapped", faults);
			root_ipc()->caps[0] = bench_vs.pml4;
			check(frame_map_raw(f, va, RIGHT_READ | RIGHT_WRITE, 0), "fault: FRAME_MAP");
		} else if (label == LABEL_DONE) {
			if (faults != 1)
				fail("fault: the access to an unmapped page did not fault", faults);
			faults = 0;
			check(frame_unmap(f), "fault: FRAME_UNMAP");
			if (i >= 0)
				s[i] = sh->cost;
			if (++i == RUNS)
				break;
		} else {
			fail("fault: unexpected message label", label);
		}
		info = sys0_mr1(SYS_REPLY_RECV, ep, 0, &addr);
	}
	check(tcb_suspend(t), "suspending the faulting thread");
	report("fault_roundtrip", s, RUNS);
}
