/*
 * The one test harness of Argil: test cases, tables of cases, assertions
 * and the `N passed, N failed` accounting, the same for every kind of test:
 *
 *   kernel/test    the kernel's suite, a root task   (kernel/test/test.h)
 *   core/test      core's suite, a component          (core/test/test.h)
 *   lib/testbed    the os/ services' tests            (<testbed.h>)
 *   tests/host     host unit tests, hosted C, -DARGIL_HOST_TEST
 *
 * A case:
 *
 *     TEST(AREA_0001, "one line saying what must hold")
 *     {
 *         CHECK(x != NULL);
 *         CHECK_EQ(a, b);              // both shown in hex on failure
 *         CHECK_OK(call());            // status 0 (E_OK, RPC_OK)
 *         CHECK_ST(call(), E_RANGE);   // that status (named on failure)
 *     }
 *
 * A table: every row is a case of its own (its own ID, counted, run and
 * reported on its own). The row type starts with TEST_ROW:
 *
 *     struct add_row { TEST_ROW; int a, b, sum; };
 *     static const struct add_row add_rows[] = {
 *         { "ADD_0001", "zero is neutral", 0, 5, 5 },
 *         { "ADD_0002", "small numbers", 2, 3, 5 },
 *     };
 *     TEST_TABLE(ADD_0001, add_rows, row) { CHECK_EQ(row->a + row->b, row->sum); }
 *
 * (the first argument orders the table among the cases: its first row's ID).
 *
 * Cases run in ID order. A failed check prints
 *     FAIL <ID>: <file>:<line>: <expression> [values]
 * and ends that case (a longjmp back into the runner; on the host each case
 * runs in a forked child as well). A passed one prints `ok <ID> <desc>`.
 * The runner ends with `[<suite>: ]N passed, N failed`. What differs between
 * the environments (what a case gets as its argument, how a status is named,
 * what is checked before and after a case, whether a case runs in a child
 * process) is in struct test_suite's hooks; output goes through printf
 * (base's, to the kernel console or the component's LOG; libc's on the host).
 *
 * A case's argument: an environment that gives its cases one defines
 * TEST_CTX_PARAM (with a trailing comma) and TEST_CTX_ARG(c) before
 * including this header (the kernel suite: `struct env *env`).
 */
#ifndef ARGIL_HARNESS_H
#define ARGIL_HARNESS_H

/* Freestanding: no header of its own needed (so that components with the
 * C library's headers include it too); the host tests get the usual ones. */
#ifdef ARGIL_HOST_TEST
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#endif

#ifndef TEST_CTX_PARAM
#define TEST_CTX_PARAM
#define TEST_CTX_ARG(c)
#endif

struct test_case {
	const char *id;
	const char *desc;
	void (*call)(void *ctx, const void *row);
	const void *rows;        /* a table: nrows rows of row_size bytes; else NULL */
	unsigned long nrows, row_size;
};

/* The first members of a table's row type. */
#define TEST_ROW const char *id; const char *desc

#define TEST_FN_ATTR __attribute__((unused))

#ifdef ARGIL_HOST_TEST
void test_register(const struct test_case *c);
#define TEST_REGISTER_(ID)                                                               \
	__attribute__((constructor)) static void test_reg_##ID(void)                     \
	{                                                                                \
		test_register(&test_desc_##ID);                                          \
	}
#define TEST_SECTION_(ID)
#else
#define TEST_REGISTER_(ID)
#define TEST_SECTION_(ID) __attribute__((used, section(".tests." #ID), aligned(8)))
#endif

#define TEST(ID, DESC)                                                                   \
	static void test_##ID(TEST_CTX_PARAM int test_row_ TEST_FN_ATTR);                \
	static void test_call_##ID(void *ctx, const void *row)                           \
	{                                                                                \
		(void)ctx;                                                               \
		(void)row;                                                               \
		test_##ID(TEST_CTX_ARG(ctx) 0);                                          \
	}                                                                                \
	static const struct test_case test_desc_##ID TEST_SECTION_(ID) = {              \
		#ID, DESC, test_call_##ID, 0, 0, 0                                       \
	};                                                                               \
	TEST_REGISTER_(ID)                                                               \
	static void test_##ID(TEST_CTX_PARAM int test_row_ TEST_FN_ATTR)

#define TEST_TABLE(ID, TABLE, ROW)                                                       \
	static void test_##ID(TEST_CTX_PARAM const __typeof__((TABLE)[0]) *ROW);          \
	static void test_call_##ID(void *ctx, const void *row)                           \
	{                                                                                \
		(void)ctx;                                                               \
		test_##ID(TEST_CTX_ARG(ctx) row);                                        \
	}                                                                                \
	static const struct test_case test_desc_##ID TEST_SECTION_(ID) = {              \
		#ID, 0, test_call_##ID, TABLE, sizeof(TABLE) / sizeof((TABLE)[0]),        \
		sizeof((TABLE)[0])                                                       \
	};                                                                               \
	TEST_REGISTER_(ID)                                                               \
	static void test_##ID(TEST_CTX_PARAM const __typeof__((TABLE)[0]) *ROW)

/* ---- assertions ---- */

void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
void test_fail_msg(const char *file, int line, const char *expr, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));
void test_fail_status(const char *file, int line, const char *expr, long got, long want1,
		      long want2) __attribute__((noreturn));
/* Ends the current case as skipped (neither passed nor failed). */
void test_skip(const char *why) __attribute__((noreturn));

#define CHECK(e)                                                                         \
	do {                                                                             \
		if (!(e))                                                                \
			test_fail(__FILE__, __LINE__, "%s", #e);                         \
	} while (0)

/* With a message of its own (printf format) after the expression. */
#define CHECK_MSG(e, ...)                                                                \
	do {                                                                             \
		if (!(e))                                                                \
			test_fail_msg(__FILE__, __LINE__, #e, __VA_ARGS__);              \
	} while (0)

#define CHECK_EQ(a, b)                                                                   \
	do {                                                                             \
		unsigned long test_a_ = (unsigned long)(a), test_b_ = (unsigned long)(b); \
		if (test_a_ != test_b_)                                                  \
			test_fail(__FILE__, __LINE__, "%s == %s (0x%lx != 0x%lx)", #a, #b, \
				  test_a_, test_b_);                                     \
	} while (0)

/* A status (abi_error_t, rpc_status_t): that one, or either of two. */
#define CHECK_ST2(e, want1, want2)                                                       \
	do {                                                                             \
		long test_st_ = (long)(e);                                               \
		if (test_st_ != (long)(want1) && test_st_ != (long)(want2))              \
			test_fail_status(__FILE__, __LINE__, #e, test_st_, (long)(want1), \
					 (long)(want2));                                 \
	} while (0)
#define CHECK_ST(e, want) CHECK_ST2(e, want, want)
#define CHECK_OK(e) CHECK_ST(e, 0)

/* A program that runs its checks one after another instead of as TEST
 * functions (the ports' tests, which share state from check to check):
 * each CHECK_CASE is a case of its own, counted and reported like one
 * (`ok <ID> <desc>` or `FAIL <ID>: <file>:<line>: <desc> (<expr>)`), and
 * it does not end anything; test_done prints `<name>: N passed, N failed`
 * and returns the number failed. */
#define CHECK_CASE(id, desc, e) test_case_result(id, desc, !!(e), __FILE__, __LINE__, #e)
void test_case_result(const char *id, const char *desc, int ok, const char *file, int line,
		      const char *expr);
int test_done(const char *name);

/* ---- the runner ---- */

struct test_suite {
	const char *name;        /* the closing line's prefix ("kernel_test"), or NULL */
	void *ctx;               /* what every case gets (TEST_CTX_ARG) */
	/* all optional: */
	int (*selected)(const char *id);          /* 0: the case is not run */
	void (*setup)(void);                      /* once, before the cases; checks may fail it */
	void (*before)(void);                     /* before each case (checks may fail it) */
	/* After a case that returned: nonzero fails it (the hook printed a FAIL
	 * line saying why). */
	int (*after)(const char *id);
	void (*cleanup)(void);                    /* after a case that failed a check */
	/* Called after a FAIL line is printed, before the case is ended: may
	 * not return (the kernel suite's worker threads). */
	void (*failing)(void);
	/* The status name for CHECK_ST; detail: the status a call returned (the
	 * hook may add what else it knows). Default: the number. */
	void (*status_name)(char *buf, unsigned long size, long st, int detail);
	/* Runs one case (call test_run_case in it); default: here. The host
	 * suite runs each case in a forked child. 0 passed, 1 failed, 2 skipped. */
	int (*run)(const struct test_case *c, const void *row);
};

/* Run every case (the suite's selection) and print the closing line: the
 * number of failed cases. */
int test_run(const struct test_suite *s);
/* Run one case, or one row of a table, here: 0 passed, 1 failed, 2 skipped
 * (the FAIL or skip line printed). */
int test_run_case(const struct test_case *c, const void *row);
/* The number of cases, each row of a table counted. */
unsigned long test_count(void);
/* The ID of the case running now ("setup" in the setup hook, NULL outside). */
const char *test_current(void);

#ifdef ARGIL_HOST_TEST
#include <stddef.h>
/* The host tests' main: `int main(int argc, char **argv) { return test_main(argc, argv); }`.
 * Arguments: case IDs to run only those; --no-fork runs cases in-process. */
int test_main(int argc, char **argv);
/* Zeroed memory aligned to align (a power of two), freed after the case. */
void *test_alloc(size_t align, size_t size);
#endif

#endif
