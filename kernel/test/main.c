/*
 * The kernel test suite's runner: the root task's main. Runs every
 * registered case in ID order with the harness (lib/harness), each from a
 * clean environment, prints "ok <ID> <description>", "FAIL <ID>: ..." or
 * "skip <ID> ...", then the closing line "kernel_test: N passed, N failed"
 * and halts.
 */
#include "test.h"

struct bootinfo *test_bootinfo;
volatile word_t worker_failed;

void helpers_reset(void);

static const char *const error_names[E_COUNT] = {
	"E_OK", "E_INVALID_ARGUMENT", "E_INVALID_CAPABILITY", "E_ILLEGAL_OPERATION",
	"E_RANGE", "E_ALIGNMENT", "E_FAILED_LOOKUP", "E_TRUNCATED_MESSAGE",
	"E_DELETE_FIRST", "E_REVOKE_FIRST", "E_NOT_ENOUGH_MEMORY", "E_NO_RIGHTS",
	"E_MAPPED", "E_NOT_MAPPED", "E_DELETED", "E_NO_REPLY", "E_BUSY",
};

const char *error_name(abi_error_t e)
{
	if ((unsigned)e < E_COUNT)
		return error_names[e];
	return "E_<unknown>";
}

/* The harness's name for a status: the error, and for what a call
 * returned the kernel's detail words too. */
static void status_name(char *buf, unsigned long size, long st, int detail)
{
	if (detail)
		snprintf(buf, size, "%s (mr0 0x%lx mr1 0x%lx)", error_name((abi_error_t)st),
			 kernel_last_detail(0), kernel_last_detail(1));
	else
		snprintf(buf, size, "%s", error_name((abi_error_t)st));
}

/* A check failed in a worker thread: it cannot end the case (that is the
 * root's); the failure is recorded and the worker stops. */
static void failing(void)
{
	if (thread_self() == (struct thread_info *)base_stacks[0])
		return;
	printf("FAIL %s: (the check above failed in a worker thread)\n", test_current());
	worker_failed = 1;
	if (thread_self()->tcb)
		tcb_suspend(thread_self()->tcb);
	for (;;)
		sys_yield();
}

/* Undo what a case may have changed in the root thread itself. */
static void reset_root(void)
{
	struct ipc_buffer *ib = ipc_buffer();

	tcb_set_priority(INIT_TCB, INIT_TCB, ABI_PRIO_MAX);
	tcb_unbind_notification(INIT_TCB);
	ib->recv_cnode = 0;
	ib->recv_index = 0;
	ib->recv_depth = 0;
}

static struct env env;

static void before(void)
{
	worker_failed = 0;
	helpers_reset();
	reset_root();
}

static void cleanup(void)
{
	reset_root();
	env_reset(&env);
}

static int after(const char *id)
{
	(void)id;
	cleanup();
	return worker_failed != 0;
}

int main(struct bootinfo *bi)
{
	int total = (int)test_count();
	struct test_suite suite = {
		.name = "kernel_test", .ctx = &env, .before = before, .after = after,
		.cleanup = cleanup, .failing = failing, .status_name = status_name,
	};

	test_bootinfo = bi;
	printf("kernel_test: %d cases, %lu CPUs, root CNode radix %lu, %lu untypeds\n", total,
	       bi->num_cpus, bi->cnode_radix, bi->num_untyped);
	if (bi->magic != BOOTINFO_MAGIC) {
		printf("kernel_test: bad bootinfo magic 0x%lx\n", bi->magic);
		printf("kernel_test: 0 passed, %d failed\n", total);
		return 1;
	}
	abi_error_t err = env_init(&env, bi);
	if (err != E_OK) {
		printf("kernel_test: env_init failed: %s (mr0 0x%lx mr1 0x%lx)\n", error_name(err),
		       kernel_last_detail(0), kernel_last_detail(1));
		printf("kernel_test: 0 passed, %d failed\n", total);
		return 1;
	}
	printf("kernel_test: %lu MiB in %d untypeds for tests, largest 2^%lu\n",
	       env.total_bytes >> 20, env.n_ut, env_max_untyped_bits(&env));
	return test_run(&suite) ? 1 : 0;
}
