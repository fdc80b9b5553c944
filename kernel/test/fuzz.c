/*
 * The system call fuzzer: a thread whose CSpace is a sandbox CNode of a
 * few objects from one dedicated untyped issues 1,000,000 random system
 * calls (numbers 1..8: never the debug calls), with random cptrs, message
 * info, words, extra caps and receive slots. Whenever it blocks, the root
 * (at a lower priority) restarts it where it left off. Afterwards the
 * untyped is revoked and must retype again as one piece.
 *
 * The sandbox holds nothing that reaches the root's objects: no cap of
 * the root's CNode, VSpace, TCB, IRQ or I/O port control; the fuzzer's own
 * TCB is not in it either.
 */
#include "test.h"

#define FUZZ_CALLS 1000000ul
#define FUZZ_UT_BITS 20
#define SANDBOX_RADIX 6
#define SANDBOX_SLOTS (1ul << SANDBOX_RADIX)

struct fuzz_state {
	word_t seed;
	volatile word_t calls;
	word_t target;
	volatile word_t done;
	word_t labels_ok;       /* invocations that returned E_OK */
};

static struct fuzz_state fuzz;

static const word_t inv_labels[] = {
	UNTYPED_RETYPE, CNODE_REVOKE, CNODE_DELETE, CNODE_CANCEL_BADGED_SENDS, CNODE_COPY,
	CNODE_MINT, CNODE_MOVE, CNODE_MUTATE, CNODE_ROTATE, CNODE_SAVE_CALLER, TCB_CONFIGURE,
	TCB_SET_PRIORITY, TCB_SET_MCP, TCB_READ_REGISTERS, TCB_WRITE_REGISTERS, TCB_SUSPEND,
	TCB_RESUME, TCB_BIND_NOTIFICATION, TCB_UNBIND_NOTIFICATION, TCB_SET_AFFINITY,
	TCB_SET_TLS_BASE, TCB_SET_FAULT_EP, PDPT_MAP, PDPT_UNMAP, PD_MAP, PD_UNMAP, PT_MAP,
	PT_UNMAP, FRAME_MAP, FRAME_UNMAP, FRAME_GET_ADDRESS, IRQ_CONTROL_GET_IOAPIC,
	IRQ_CONTROL_GET_MSI, IRQ_HANDLER_SET_NOTIFICATION, IRQ_HANDLER_ACK, IRQ_HANDLER_CLEAR,
	IOPORT_CONTROL_ISSUE, IOPORT_IN8, IOPORT_OUT8, IOPORT_IN32,
};
#define N_LABELS (sizeof(inv_labels) / sizeof(inv_labels[0]))

/* A word that is often a small number, a slot, a depth or a type. */
static word_t fuzz_word(word_t r, word_t r2)
{
	switch (r & 7) {
	case 0: return r2;
	case 1: return r2 & 0xff;
	case 2: return r2 % SANDBOX_SLOTS;
	case 3: return (r2 & 1) ? SANDBOX_RADIX : 64;
	case 4: return r2 % 16;
	case 5: return (r2 & 0xfff) << 12;                 /* page-aligned vaddr */
	case 6: return ((r2 & 0x1ff) << 21) | (1ul << 40);   /* large-page vaddr */
	default: return r2 & RIGHTS_ALL;
	}
}

static word_t fuzz_body(word_t unused0, word_t unused1)
{
	struct ipc_buffer *ib = ipc_buffer();
	struct sys_msg m;

	(void)unused0;
	(void)unused1;
	while (fuzz.calls < fuzz.target) {
		word_t r = rand64(&fuzz.seed), r2 = rand64(&fuzz.seed), r3 = rand64(&fuzz.seed);
		/* half of the calls are SYS_CALL, the only way to invoke objects */
		word_t sys = (r >> 62) & 1 ? SYS_CALL : 1 + r % 8;
		cptr_t cap;

		switch ((r >> 3) & 3) {
		case 0: cap = r2; break;                              /* anything */
		case 1: cap = SANDBOX_SLOTS + (r2 & 0xff); break;     /* out of range */
		default: cap = r2 % 16; break;                        /* the populated slots */
		}
		word_t label = (r >> 5) & 1 ? inv_labels[(r >> 6) % N_LABELS]
					     : ((r >> 6) & 1 ? r3 >> 14 : (r3 & 0x7f));
		m.info = mi_make(label, r3 >> 60, (r >> 16) & 7, (r >> 20) & 0x7f);
		m.badge = 0;
		for (int i = 0; i < ABI_MSG_REGS; i++)
			m.mr[i] = fuzz_word(r >> (28 + 4 * i), rand64(&fuzz.seed));
		/* refresh a few IPC buffer words each round */
		ib->msg[4 + (r3 & 0x3f)] = fuzz_word(r3 >> 8, r2);
		ib->msg[4 + ((r3 >> 20) & 0x3f)] = fuzz_word(r3 >> 28, r);
		ib->caps[(r3 >> 36) & 3] = (r3 >> 40) & 1 ? r2 % 16 : r3;
		if ((r >> 48) % 8 == 0) {
			ib->recv_cnode = (r2 >> 8) % 16;
			ib->recv_index = (r2 >> 16) % SANDBOX_SLOTS;
			ib->recv_depth = (r2 >> 24) & 1 ? SANDBOX_RADIX : (r2 >> 25) & 0x7f;
		}
		sys_raw(sys, cap, &m);
		if (sys == SYS_CALL && mi_label(m.info) == E_OK)
			fuzz.labels_ok++;
		fuzz.calls++;
	}
	fuzz.done = 1;
	/* The sandbox holds no cap of this thread's own TCB to suspend itself
	 * with: stop with a fault instead (no fault endpoint: the kernel
	 * suspends the thread and says so on the console). */
	__asm__ volatile("ud2");
	return 0;
}

/* The sandbox: slot 1 endpoint, 2 endpoint (write only, badged), 3
 * notification, 4 notification (badged), 5 a small CNode, 6 a TCB, 7 a
 * frame, 8 a PT, 9 a PML4, 10 a PDPT, 11 an untyped of 4 KiB, 12 the
 * sandbox CNode itself, 13 a PD, 14 a 2 MiB-capable untyped is too big:
 * a second frame. 0 and 15.. are empty. */
static void fill_sandbox(struct env *env, cptr_t sb)
{
	static const struct { word_t slot, type, bits; } objs[] = {
		{ 1, OBJ_ENDPOINT, 0 }, { 3, OBJ_NOTIFICATION, 0 }, { 5, OBJ_CNODE, 2 },
		{ 6, OBJ_TCB, 0 }, { 7, OBJ_FRAME_4K, 0 }, { 8, OBJ_PT, 0 }, { 9, OBJ_PML4, 0 },
		{ 10, OBJ_PDPT, 0 }, { 11, OBJ_UNTYPED, 12 }, { 13, OBJ_PD, 0 },
		{ 14, OBJ_FRAME_4K, 0 },
	};

	cptr_t ep = 0;

	for (unsigned i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		cptr_t c = mk(env, objs[i].type, objs[i].bits);
		if (objs[i].type == OBJ_ENDPOINT)
			ep = c;
		/* the spare TCB's faults go to the endpoint rather than the console */
		if (objs[i].type == OBJ_TCB)
			CHECK_OK(tcb_configure(c, ep, 0, 0, 0, 0, 0));
		CHECK_OK(cnode_move(sb, objs[i].slot, SANDBOX_RADIX, R, c, 64));
	}
	CHECK_OK(cnode_mint(sb, 2, SANDBOX_RADIX, sb, 1, SANDBOX_RADIX, RIGHT_WRITE, 5));
	CHECK_OK(cnode_mint(sb, 4, SANDBOX_RADIX, sb, 3, SANDBOX_RADIX, RIGHT_WRITE, 9));
	CHECK_OK(cnode_copy(sb, 12, SANDBOX_RADIX, R, sb, 64, RIGHTS_ALL));
}

TEST(FUZZ_0001, "1,000,000 random system calls in a sandbox; its untyped is whole again after")
{
	cptr_t ut = mk_untyped(env, FUZZ_UT_BITS);
	cptr_t sb, again;
	struct thread t;
	word_t restarts = 0, start = rdtsc();

	env->only_ut = ut;
	sb = mk(env, OBJ_CNODE, SANDBOX_RADIX);
	fill_sandbox(env, sb);
	CHECK_OK(thread_create(env, &t, 0));
	env->only_ut = 0;
	CHECK_OK(tcb_configure(t.tcb, 0, sb, cnode_guard(0, 64 - SANDBOX_RADIX), INIT_VSPACE,
				t.ipc_vaddr, t.ipc_frame));
	t.info->tcb = 0;
	memset(&fuzz, 0, sizeof(fuzz));
	fuzz.seed = 0x5eed5eed1234567ull ^ rdtsc();
	fuzz.target = FUZZ_CALLS;
	printf("# FUZZ_0001: seed 0x%lx\n", fuzz.seed);
	CHECK_OK(thread_prepare(&t, fuzz_body, 0, 0));
	CHECK_OK(tcb_set_priority(t.tcb, INIT_TCB, 20));
	/* Below the fuzzer: the root runs only while the fuzzer cannot. */
	CHECK_OK(tcb_set_priority(INIT_TCB, INIT_TCB, 10));
	CHECK_OK(tcb_resume(t.tcb));
	while (!fuzz.done) {
		/* The fuzzer blocked or stopped: restart it where it was. */
		CHECK_OK(tcb_suspend(t.tcb));
		CHECK_OK(thread_prepare(&t, fuzz_body, 0, 0));
		CHECK_OK(tcb_resume(t.tcb));
		restarts++;
		CHECK(restarts < FUZZ_CALLS / 4);
	}
	CHECK_OK(tcb_set_priority(INIT_TCB, INIT_TCB, ABI_PRIO_MAX));
	printf("# FUZZ_0001: %lu calls (%lu invocations succeeded), %lu restarts, %lu ms\n",
	       fuzz.calls, fuzz.labels_ok, restarts,
	       (rdtsc() - start) / (test_bootinfo->tsc_per_ms ? test_bootinfo->tsc_per_ms : 1));
	CHECK(fuzz.calls >= FUZZ_CALLS);
	CHECK_OK(cnode_revoke(R, ut, 64));
	CHECK_EQ(cap_type(sb), 0);
	CHECK_EQ(cap_type(t.tcb), 0);
	again = mk_slot(env);
	CHECK_OK(untyped_retype(ut, OBJ_UNTYPED, FUZZ_UT_BITS, R, 0, 0, again, 1));
	CHECK_EQ(cap_type(again), OBJ_UNTYPED);
}
