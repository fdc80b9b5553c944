/*
 * The kernel test suite's runner: the root task's main. Runs every
 * registered case in ID order, each from a clean environment, prints
 * "ok <ID> <description>", "FAIL <ID>: ..." or "skip <ID> ...", then the
 * closing line "kernel_test: N passed, N failed" and halts.
 */
#include "test.h"
#include <argil/setjmp.h>
#include <stdarg.h>

extern const struct test_case __tests_start[], __tests_end[];

struct bootinfo *test_bootinfo;
volatile word_t worker_failed;

static const struct test_case *current;
static base_jmp_buf case_jmp;

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

void test_fail(const char *file, int line, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (thread_self() != (struct thread_info *)base_stacks[0]) {
		printf("FAIL %s: %s:%d: %s (in a worker thread)\n", current ? current->id : "?",
		       file, line, buf);
		worker_failed = 1;
		if (thread_self()->tcb)
			tcb_suspend(thread_self()->tcb);
		for (;;)
			sys_yield();
	}
	printf("FAIL %s: %s:%d: %s\n", current ? current->id : "?", file, line, buf);
	base_longjmp(case_jmp, 1);
}

void test_skip(const char *why)
{
	printf("skip %s %s: %s\n", current->id, current->desc, why);
	base_longjmp(case_jmp, 2);
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

/* Run one case: 0 passed, 1 failed, 2 skipped. */
static int run_case(struct env *env, const struct test_case *tc)
{
	int r;

	current = tc;
	worker_failed = 0;
	helpers_reset();
	reset_root();
	r = base_setjmp(case_jmp);
	if (r == 0) {
		tc->fn(env);
		if (worker_failed) {
			r = 1;
		} else {
			printf("ok %s %s\n", tc->id, tc->desc);
		}
	}
	reset_root();
	env_reset(env);
	return r;
}

int main(struct bootinfo *bi)
{
	static struct env env;
	int passed = 0, failed = 0, skipped = 0;
	int total = (int)(__tests_end - __tests_start);

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

	for (const struct test_case *tc = __tests_start; tc < __tests_end; tc++) {
		switch (run_case(&env, tc)) {
		case 0: passed++; break;
		case 1: failed++; break;
		default: skipped++; break;
		}
	}
	current = 0;
	if (skipped)
		printf("kernel_test: %d skipped\n", skipped);
	printf("kernel_test: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
