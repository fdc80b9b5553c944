/*
 * core_test: the test suite of core's services, run as init (core's only
 * child). Cases run one after another on a runner thread, sorted by ID;
 * the main thread serves the entrypoint (signal handlers, RPC objects of
 * the tests, and the parent interface of helper children). A failed check
 * prints "FAIL <ID>: <file>:<line>: ..." and ends the case. After every
 * case the runner checks that our own account is back where it was (no
 * quota lost), and REL_* cases check core's global figures.
 */
#ifndef CORE_TEST_H
#define CORE_TEST_H

#include <argil/component.h>
#include <child.h>
#include <argil/cpu.h>
#include <argil/cthread.h>
#include <argil/heap.h>
#include <argil/io.h>
#include <argil/kernel.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/rom.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <argil/thread.h>
#include <arch/syscall.h>

struct test_case {
	const char *id;
	const char *desc;
	void (*fn)(void);
};

#define TEST(ID, DESC)                                                                   \
	static void test_##ID(void);                                                     \
	static const struct test_case test_desc_##ID                                     \
		__attribute__((used, section(".tests." #ID), aligned(8))) = { #ID, DESC,  \
									       test_##ID }; \
	static void test_##ID(void)

void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));

#define CHECK(e)                                                        \
	do {                                                            \
		if (!(e))                                               \
			test_fail(__FILE__, __LINE__, "%s", #e);        \
	} while (0)

#define CHECK_EQ(a, b)                                                                    \
	do {                                                                              \
		word_t a_ = (word_t)(a), b_ = (word_t)(b);                                \
		if (a_ != b_)                                                             \
			test_fail(__FILE__, __LINE__, "%s == %s (0x%lx != 0x%lx)", #a, #b, \
				  a_, b_);                                                \
	} while (0)

#define CHECK_ST(e, want)                                                                 \
	do {                                                                              \
		rpc_status_t st_ = (e);                                                   \
		if (st_ != (want))                                                        \
			test_fail(__FILE__, __LINE__, "%s -> %s, want %s", #e,            \
				  rpc_status_name(st_), rpc_status_name(want));           \
	} while (0)

#define CHECK_OK(e) CHECK_ST(e, RPC_OK)

/* The environment and the runner's notification (signalled by fault
 * handlers, helper children's exits, signal handlers and workers). */
extern struct component_env *tenv;
extern cptr_t test_ntfn;
extern word_t test_ntfn_handle;
void wait_signal(void);

/* Sessions at core through our parent (core), paid by us or by payer. */
cptr_t session(const char *service, const char *label, const char *args, word_t ram, word_t caps,
	       word_t *id);
rpc_status_t try_session(const char *service, const char *label, const char *args, word_t ram,
			 word_t caps, cptr_t payer, cptr_t *cap, word_t *id);
void close_session(word_t id, cptr_t cap);

struct pd_quota quota_of(cptr_t pd);
struct core_stats stats(void);
int stats_equal(const struct core_stats *a, const struct core_stats *b);
void stats_print(const char *what, const struct core_stats *s);

/* Make one PD by hand (threads, LOG/ROM/CPU sessions paid by it, RAM
 * attached in it and in us, an endpoint; io: an IO_PORT session too) and
 * destroy it (release.c). */
void release_pd_cycle(int i, int io);

/* A number given as "key=N" in the ROM core_test_select, else def. */
word_t select_param(const char *key, word_t def);

/* A RAM dataspace attached read-write anywhere in our address space. */
void *ram_map(word_t size, cptr_t *ds);
void ram_unmap(void *p, cptr_t ds);

/* A second thread in our PD running fn(arg) at a priority below the runner. */
#define WORKER_PRIO 100
struct cthread;
void worker_start(struct cthread *t, void (*fn)(void *), void *arg);
void worker_join(struct cthread *t);  /* waits until fn returned, then destroys it */

/* Helper children (build/core_test_helper.elf), started with child_start
 * and served by our parent interface. */
struct tchild {
	struct rpc_object obj;
	struct child c;
	volatile int exited;
	volatile word_t exit_value;
	word_t ids[16];          /* sessions opened for it at core */
	cptr_t caps[16];
	int nsessions;
	char name[32];
	cptr_t heartbeat;        /* the child's heartbeat signal capability */
	volatile int beats;      /* heartbeat responses received */
	int flags;               /* HELPER_* */
};
rpc_status_t helper_start(struct tchild *t, const char *name, const char *args, word_t ram,
			  word_t caps);
/* The same with another binary and flags: HELPER_MUTE: its parent
 * interface refuses every request (DENIED) without touching *t, so the
 * child may be destroyed at any moment, even while a request of it is
 * being served; HELPER_NO_DEVICES: IO_PORT, IO_MEM, IRQ and DMA sessions are
 * DENIED (as init would not route them). */
#define HELPER_MUTE 1
#define HELPER_NO_DEVICES 2
rpc_status_t helper_start_bin(struct tchild *t, const char *binary, const char *name,
			      const char *args, word_t ram, word_t caps, int flags);
void helper_destroy(struct tchild *t);
/* Wait until the helper exited (returns its value). */
word_t helper_wait_exit(struct tchild *t);

#endif
