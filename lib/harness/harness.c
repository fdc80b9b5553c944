/*
 * The test runner and the assertions' failure path (harness.h), the same
 * for the kernel's, core's, the services' and the host tests. What differs
 * is in the suite's hooks; host.c adds the host's main, its case list and
 * the forked run of each case.
 */
#include <stdarg.h>
#include <harness.h>

#ifdef ARGIL_HOST_TEST
#include <setjmp.h>
typedef jmp_buf test_jmp_buf;
#define test_setjmp(b) setjmp(b)
#define test_longjmp(b, v) longjmp(b, v)
/* host.c: the registered cases, sorted by ID */
const struct test_case *const *test_host_cases(unsigned long *n);
#else
#include <argil/printf.h>
#include <argil/setjmp.h>
typedef base_jmp_buf test_jmp_buf;
#define test_setjmp(b) base_setjmp(b)
#define test_longjmp(b, v) base_longjmp(b, v)
/* the linker's list of .tests.<ID> sections, sorted by ID */
extern const struct test_case __tests_start[], __tests_end[];
#endif

static const struct test_suite *suite;
static const char *volatile current;
static const char *volatile current_desc;
static test_jmp_buf case_jmp;

const char *test_current(void)
{
	return current;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("FAIL %s: %s:%d: %s\n", current ? current : "?", file, line, buf);
	if (suite && suite->failing)
		suite->failing();
	test_longjmp(case_jmp, 1);
}

void test_fail_msg(const char *file, int line, const char *expr, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	test_fail(file, line, "%s %s", expr, buf);
}

static void status_name(char *buf, unsigned long size, long st, int detail)
{
	if (suite && suite->status_name)
		suite->status_name(buf, size, st, detail);
	else
		snprintf(buf, size, "%ld", st);
}

void test_fail_status(const char *file, int line, const char *expr, long got, long want1,
		      long want2)
{
	char g[128], w1[64], w2[64];

	status_name(g, sizeof(g), got, 1);
	status_name(w1, sizeof(w1), want1, 0);
	if (want2 == want1)
		test_fail(file, line, "%s -> %s, want %s", expr, g, w1);
	status_name(w2, sizeof(w2), want2, 0);
	test_fail(file, line, "%s -> %s, want %s or %s", expr, g, w1, w2);
}

void test_skip(const char *why)
{
	printf("skip %s %s: %s\n", current ? current : "?", current_desc ? current_desc : "", why);
	test_longjmp(case_jmp, 2);
}

static const char *row_id(const struct test_case *c, const void *row)
{
	return row ? *(const char *const *)row : c->id;
}

static const char *row_desc(const struct test_case *c, const void *row)
{
	return row ? ((const char *const *)row)[1] : c->desc;
}

int test_run_case(const struct test_case *c, const void *row)
{
	volatile int r;

	current = row_id(c, row);
	current_desc = row_desc(c, row);
	r = test_setjmp(case_jmp);
	if (r == 0) {
		if (suite->before)
			suite->before();
		c->call(suite->ctx, row);
		if (suite->after && suite->after(current))
			r = 1;
	} else if (suite->cleanup) {
		suite->cleanup();
	}
	current = 0;
	current_desc = 0;
	return r;
}

static int run_setup(void)
{
	current = "setup";
	if (test_setjmp(case_jmp) != 0) {
		current = 0;
		return 1;
	}
	suite->setup();
	current = 0;
	return 0;
}

static void closing_line(const char *what, unsigned long n1, unsigned long n2)
{
	const char *name = suite->name;

	printf("%s%s%lu %s%lu failed\n", name ? name : "", name ? ": " : "", n1, what, n2);
}

/* The cases: the number, and the i-th (sorted by ID). */
static unsigned long case_count(void)
{
#ifdef ARGIL_HOST_TEST
	unsigned long n;
	test_host_cases(&n);
	return n;
#else
	return (unsigned long)(__tests_end - __tests_start);
#endif
}

static const struct test_case *case_at(unsigned long i)
{
#ifdef ARGIL_HOST_TEST
	unsigned long n;
	return test_host_cases(&n)[i];
#else
	return &__tests_start[i];
#endif
}

unsigned long test_count(void)
{
	unsigned long n = 0;

	for (unsigned long i = 0; i < case_count(); i++)
		n += case_at(i)->rows ? case_at(i)->nrows : 1;
	return n;
}

int test_run(const struct test_suite *s)
{
	unsigned long passed = 0, failed = 0, skipped = 0, ncases;
	const struct test_case *c;

	suite = s;
	if (s->setup && run_setup()) {
		printf("%s%ssetup failed\n", s->name ? s->name : "", s->name ? ": " : "");
		closing_line("passed, ", 0, 1);
		return 1;
	}
	ncases = case_count();
	for (unsigned long i = 0; i < ncases; i++) {
		c = case_at(i);
		unsigned long nrows = c->rows ? c->nrows : 1;
		for (unsigned long k = 0; k < nrows; k++) {
			const void *row = c->rows ? (const char *)c->rows + k * c->row_size : 0;
			if (s->selected && !s->selected(row_id(c, row)))
				continue;
			switch (s->run ? s->run(c, row) : test_run_case(c, row)) {
			case 0:
				printf("ok %s %s\n", row_id(c, row), row_desc(c, row));
				passed++;
				break;
			case 2:
				skipped++;
				break;
			default:
				failed++;
			}
		}
	}
	if (skipped)
		printf("%s%s%lu skipped\n", s->name ? s->name : "", s->name ? ": " : "", skipped);
	closing_line("passed, ", passed, failed);
	return (int)failed;
}

/* ---- checks run one after another (CHECK_CASE) ---- */

static unsigned long seq_passed, seq_failed;

void test_case_result(const char *id, const char *desc, int ok, const char *file, int line,
		      const char *expr)
{
	if (ok) {
		printf("ok %s %s\n", id, desc);
		seq_passed++;
		return;
	}
	printf("FAIL %s: %s:%d: %s (%s)\n", id, file, line, desc, expr);
	seq_failed++;
}

int test_done(const char *name)
{
	printf("%s: %lu passed, %lu failed\n", name, seq_passed, seq_failed);
	return (int)seq_failed;
}
