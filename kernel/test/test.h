/*
 * The kernel test suite's framework: test registration, assertions and
 * helpers shared by the test files. Tests run one after another in the
 * root thread (sorted by ID); each gets a clean struct env and everything
 * it allocated is revoked afterwards (see main.c).
 *
 * Cases and checks are the harness's (lib/harness/include/harness.h:
 * TEST, TEST_TABLE, CHECK, CHECK_EQ, CHECK_OK, CHECK_ST, CHECK_ST2 with
 * abi_error_t statuses). Checks may only be used in the root thread: a
 * failure prints "FAIL <ID>: <file>:<line>: <expr>" and aborts the case
 * with a longjmp. Worker threads report results through memory or IPC; if
 * one calls a check anyway, the failure is printed, recorded, and the
 * worker suspends itself.
 */
#ifndef KERNEL_TEST_H
#define KERNEL_TEST_H

#include <argil/abi.h>
#include <argil/env.h>
#include <argil/kernel.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <argil/thread.h>
#include <arch/syscall.h>

/* The harness (lib/harness): every case gets the environment as `env`. */
#define TEST_CTX_PARAM struct env *env __attribute__((unused)),
#define TEST_CTX_ARG(c) (struct env *)(c),
#include <harness.h>

#define R INIT_CNODE   /* the root CNode: slot args are (R, slot, 64) */

const char *error_name(abi_error_t e);

/* ---- helpers (helpers.c); all assert on failure ---- */
extern struct bootinfo *test_bootinfo;
extern volatile word_t worker_failed;

cptr_t mk(struct env *env, word_t type, word_t size_bits);   /* new object */
cptr_t mk_slot(struct env *env);                             /* free root slot */
cptr_t mk_untyped(struct env *env, word_t bits);             /* child untyped */
cptr_t mk_copy(struct env *env, cptr_t src, word_t rights);
cptr_t mk_mint(struct env *env, cptr_t src, word_t rights, word_t badge);
word_t cap_type(cptr_t c);

/* Threads in the root VSpace and CSpace (prio < 255: they run when the root blocks). */
void spawn(struct env *env, struct thread *t, void *fn, word_t a0, word_t a1, word_t prio);
void spawn_on(struct env *env, struct thread *t, void *fn, word_t a0, word_t a1, word_t prio,
	      word_t cpu);
void spawn_faulting(struct env *env, struct thread *t, cptr_t fault_ep, void *fn, word_t a0,
		    word_t a1, word_t prio);

/* Let every thread of priority > 1 on CPU 0 run until it blocks: returns
 * once a priority-1 ticker thread got the CPU. Threads that must keep
 * running in the background while the root settles use priority 1 too. */
void settle(struct env *env);
/* The same for another CPU (its own ticker): returns once every thread of
 * priority > 1 there was blocked at some moment after the call began. */
void settle_cpu(struct env *env, word_t cpu);
#define PRIO_TICKER 1

/* Waits for events that must come (a message, a signal, an interrupt, a
 * thread on another CPU getting somewhere) have no time window: they end
 * when the event is seen. BACKSTOP_MS of real time is only a backstop
 * against a lost event, long enough for any load on the host. */
#define BACKSTOP_MS 10000u
word_t backstop_deadline(void);           /* the TSC value BACKSTOP_MS from now */
int backstop_passed(word_t deadline);

/* Wait until cond holds, letting CPU 0's threads run (settle) between
 * checks; fails the case after BACKSTOP_MS. */
#define WAIT_UNTIL(env, cond)                                                            \
	do {                                                                              \
		word_t deadline_ = backstop_deadline();                                   \
		while (!(cond)) {                                                         \
			if (backstop_passed(deadline_))                                   \
				test_fail(__FILE__, __LINE__, "waited %u ms for %s",         \
					  BACKSTOP_MS, #cond);                              \
			settle(env);                                                      \
		}                                                                         \
	} while (0)

/* Receive on ep without blocking the root (NBRecv, settle() between
 * tries) until a message (or signal) arrives: 1, with it in m; 0 (and a
 * note) after BACKSTOP_MS. */
int recv_wait(struct env *env, cptr_t ep, struct sys_msg *m);
/* Poll notification n (settle() between polls) until it is signalled:
 * the badge; 0 (and a note) after BACKSTOP_MS. */
word_t wait_signal(struct env *env, cptr_t n);

/* Paging structures (PDPT, PD, PT) for vaddr in vspace, made as needed by
 * the caller: map_tables makes all three. */
void map_tables(struct env *env, cptr_t vspace, word_t vaddr);
/* A fresh frame mapped RW at vaddr of the root VSpace (tables made as needed
 * in ENV_TEST_VADDR's region). */
cptr_t map_test_page(struct env *env, word_t vaddr, word_t rights, word_t attrs);

word_t rand64(word_t *state);

/* Thread bodies used by several files. */
word_t worker_signal(word_t ntfn, word_t unused);        /* signal(ntfn) once */
word_t worker_echo(word_t ep, word_t unused);            /* ReplyRecv echo server: mr[i] + 1 */
word_t worker_relay(word_t in, word_t out);              /* forever: wait(in), signal(out) */
word_t worker_count(word_t addr, word_t unused);         /* forever: ++*(word_t *)addr */

/* Start *t (priority 100 on `cpu`): it makes the IPC system call sysno
 * (SYS_SEND, SYS_CALL, SYS_RECV, ...) on cap with an empty message and
 * returns the label it ended with; `done` is signalled (badge 1) then. */
void spawn_ipc(struct env *env, struct thread *t, word_t sysno, cptr_t cap, cptr_t done,
	       word_t cpu);
/* Such a thread blocks in sysno on cap; once it is blocked, the root slot
 * `victim` is deleted: the label its call ended with (it must end). */
word_t label_after_delete(struct env *env, word_t sysno, cptr_t cap, cptr_t victim, word_t cpu);

#define TEST_VA(i) (ENV_TEST_VADDR + (word_t)(i) * 0x1000ul)

#endif

/* ---- more helpers ---- */
/* A thread in the root VSpace whose CSpace root is `cspace` (guard data as
 * for TCB_CONFIGURE). A copy of its TCB cap goes to slot (self_cn,
 * self_index, self_depth) and `self` is that slot's cptr in the thread's
 * CSpace: the thread suspends itself through it when fn returns. */
void spawn_cspace(struct env *env, struct thread *t, cptr_t cspace, word_t guard, cptr_t self_cn,
		  word_t self_index, word_t self_depth, cptr_t self, void *fn, word_t a0, word_t a1,
		  word_t prio);
word_t paddr_of(cptr_t frame);
/* Signal through cap, then poll the unbadged notification orig. */
word_t badge_via(cptr_t cap, cptr_t orig);
/* Label of the reply of a raw IPC syscall on cap with an empty message. */
word_t ipc_label(word_t sysno, cptr_t cap);
/* The first device untyped in bootinfo (index into untyped_list), -1 if none. */
int device_untyped(void);

/* Run a thread (priority 100, root VSpace) that touches addr: PROBE_READ,
 * PROBE_WRITE or PROBE_EXEC (calls it). Returns 0 if the access worked,
 * else the fault label, with the fault message in *m (if m is set); the
 * faulting thread is left blocked. Fails the case if neither happens. */
#define PROBE_READ 0
#define PROBE_WRITE 1
#define PROBE_EXEC 2
#define PROBE_DONE_LABEL 0x7e57
word_t probe(struct env *env, word_t addr, int how, struct sys_msg *m);
extern volatile word_t probe_value;  /* what a PROBE_READ read */
extern cptr_t probe_ep;              /* the endpoint of the last probe() */

/* For the FPU/SSE loops in assembly (sched.c, ipc.c): xmm0..15 from the
 * 32 words at %r12, and to the 32 words at %r13. */
#define ASM_LOAD_XMM_R12                                                                  \
	"  movdqu 0(%r12), %xmm0\n movdqu 16(%r12), %xmm1\n movdqu 32(%r12), %xmm2\n"         \
	"  movdqu 48(%r12), %xmm3\n movdqu 64(%r12), %xmm4\n movdqu 80(%r12), %xmm5\n"        \
	"  movdqu 96(%r12), %xmm6\n movdqu 112(%r12), %xmm7\n movdqu 128(%r12), %xmm8\n"      \
	"  movdqu 144(%r12), %xmm9\n movdqu 160(%r12), %xmm10\n movdqu 176(%r12), %xmm11\n"   \
	"  movdqu 192(%r12), %xmm12\n movdqu 208(%r12), %xmm13\n movdqu 224(%r12), %xmm14\n"  \
	"  movdqu 240(%r12), %xmm15\n"
#define ASM_STORE_XMM_R13                                                                 \
	"  movdqu %xmm0, 0(%r13)\n movdqu %xmm1, 16(%r13)\n movdqu %xmm2, 32(%r13)\n"         \
	"  movdqu %xmm3, 48(%r13)\n movdqu %xmm4, 64(%r13)\n movdqu %xmm5, 80(%r13)\n"        \
	"  movdqu %xmm6, 96(%r13)\n movdqu %xmm7, 112(%r13)\n movdqu %xmm8, 128(%r13)\n"      \
	"  movdqu %xmm9, 144(%r13)\n movdqu %xmm10, 160(%r13)\n movdqu %xmm11, 176(%r13)\n"   \
	"  movdqu %xmm12, 192(%r13)\n movdqu %xmm13, 208(%r13)\n movdqu %xmm14, 224(%r13)\n"  \
	"  movdqu %xmm15, 240(%r13)\n"

/* FPU/SSE checks (sched.c): load xmm0..15 from in[32], yield n times (or
 * spin until the TSC passes `until`), store xmm0..15 to out[32]. */
void fpu_yield_loop(const word_t *in, word_t *out, word_t n);
void fpu_spin_loop(const word_t *in, word_t *out, word_t until);
/* Thread body: fill xmm with values from seed, run the loop (mode 0 =
 * yield 1000 times, else spin `mode` ms), return the number of xmm
 * words that changed. */
word_t fpu_worker(word_t seed, word_t mode);
