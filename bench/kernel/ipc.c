/*
 * ipc_call_oneway, ipc_replyrecv_oneway, ipc_roundtrip: the root task calls
 * a server thread in the other address space, same priority, same CPU,
 * 0-word messages.
 */
#include "bench.h"

struct ipc_shared {
	volatile word_t client_t0;  /* client: just before SYS_CALL */
	volatile word_t call_cost;  /* server: just after its receive returned, minus client_t0 */
	volatile word_t server_t0;  /* server: just before SYS_REPLY_RECV */
	volatile word_t received;   /* server: calls received */
};

/* Runs in the other address space: times both one-way paths. */
static word_t timing_server(word_t ep, word_t shared)
{
	struct ipc_shared *sh = (struct ipc_shared *)shared;

	sys0(SYS_RECV, ep, 0);
	for (;;) {
		word_t t1 = ts();

		sh->call_cost = t1 - sh->client_t0;
		sh->received++;
		sh->server_t0 = ts();
		sys0(SYS_REPLY_RECV, ep, 0);
	}
	return 0;
}

/* Runs in the other address space: answers at once, no timestamps. */
static word_t plain_server(word_t ep, word_t unused)
{
	(void)unused;
	sys0(SYS_RECV, ep, 0);
	for (;;)
		sys0(SYS_REPLY_RECV, ep, 0);
	return 0;
}

void bench_ipc(void)
{
	static word_t call[RUNS], rr[RUNS], rt[RUNS];
	word_t remote;
	struct ipc_shared *sh = share_page(&remote);
	cptr_t ep = env_obj(&bench_env, OBJ_ENDPOINT, 0);
	cptr_t ep2 = env_obj(&bench_env, OBJ_ENDPOINT, 0);

	if (!ep || !ep2)
		fail("no endpoint", 0);

	/* one-way figures: the client's start time reaches the server
	 * through the shared page, the server's through the same page back */
	cptr_t server = start_remote(timing_server, ep, remote, ROOT_PRIO, 0);
	sys_yield();   /* the server runs and blocks in SYS_RECV */
	for (int i = -WARMUP; i < RUNS; i++) {
		word_t t0 = ts();

		sh->client_t0 = t0;
		word_t info = sys0(SYS_CALL, ep, 0);
		word_t t1 = ts();

		if (info != 0)
			fail("ipc: unexpected reply info", info);
		if (i >= 0) {
			call[i] = sh->call_cost;
			rr[i] = t1 - sh->server_t0;
		}
	}
	if (sh->received != WARMUP + RUNS)
		fail("ipc: the server did not receive every call", sh->received);
	check(tcb_suspend(server), "suspending the server");

	/* round trip: a server that only answers */
	server = start_remote(plain_server, ep2, 0, ROOT_PRIO, 0);
	sys_yield();
	for (int i = -WARMUP; i < RUNS; i++) {
		word_t t0 = ts();
		word_t info = sys0(SYS_CALL, ep2, 0);
		word_t t1 = ts();

		if (info != 0)
			fail("ipc: unexpected reply info", info);
		if (i >= 0)
			rt[i] = t1 - t0;
	}
	check(tcb_suspend(server), "suspending the server");

	report("ipc_call_oneway", call, RUNS);
	report("ipc_replyrecv_oneway", rr, RUNS);
	report("ipc_roundtrip", rt, RUNS);
}

/* yield: the root task alone at its priority (both servers are suspended). */
void bench_yield(void)
{
	static word_t s[RUNS];

	for (int i = -WARMUP; i < RUNS; i++) {
		word_t t0 = ts();

		sys0(SYS_YIELD, 0, 0);
		word_t t1 = ts();

		if (i >= 0)
			s[i] = t1 - t0;
	}
	report("yield", s, RUNS);
}
