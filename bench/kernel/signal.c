/*
 * signal_wake_higher: the root task (ROOT_PRIO) signals a notification on
 * which a HIGH_PRIO thread of the other address space waits; the signal
 * switches straight to the waiter.
 */
#include "bench.h"

struct sig_shared {
	volatile word_t t0;     /* signaller: just before SYS_SEND */
	volatile word_t cost;   /* waiter: just after its wait returned, minus t0 */
	volatile word_t wakes;  /* waiter: times woken */
};

static word_t waiter(word_t ntfn, word_t shared)
{
	struct sig_shared *sh = (struct sig_shared *)shared;

	for (;;) {
		sys0(SYS_RECV, ntfn, 0);   /* wait */
		word_t t1 = ts();

		sh->cost = t1 - sh->t0;
		sh->wakes++;
	}
	return 0;
}

void bench_signal(void)
{
	static word_t s[RUNS];
	word_t remote;
	struct sig_shared *sh = share_page(&remote);
	cptr_t ntfn = env_obj(&bench_env, OBJ_NOTIFICATION, 0);

	if (!ntfn)
		fail("no notification", 0);
	cptr_t w = start_remote(waiter, ntfn, remote, HIGH_PRIO, 0);
	sys_yield();   /* in case the resume did not switch to it: it now blocks */
	if (sh->wakes != 0)
		fail("signal: the waiter woke without a signal", sh->wakes);
	for (int i = -WARMUP; i < RUNS; i++) {
		word_t t0 = ts();

		sh->t0 = t0;
		sys0(SYS_SEND, ntfn, 0);   /* signal */
		/* the waiter has run and blocked again by now */
		if (sh->wakes != (word_t)(i + WARMUP + 1))
			fail("signal: the higher-priority waiter did not run at once", sh->wakes);
		if (i >= 0)
			s[i] = sh->cost;
	}
	check(tcb_suspend(w), "suspending the waiter");
	report("signal_wake_higher", s, RUNS);
}
