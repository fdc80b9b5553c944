/*
 * The host side of the harness (harness.h, -DARGIL_HOST_TEST): the cases
 * registered by constructors, test_alloc, and test_main, which runs each
 * case in a forked child so that a crash, a sanitizer report or a hang
 * (TEST_TIMEOUT seconds) fails that case only.
 */
#include <harness.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CASES 1024
#define FAIL_STATUS 3
#define SKIP_STATUS 4
#define TEST_TIMEOUT 120

static const struct test_case *cases[MAX_CASES];
static unsigned long ncases;
static int sorted;
static int main_argc;
static char **main_argv;

static void **allocs;
static size_t nallocs, cap_allocs;

void test_register(const struct test_case *c)
{
	if (ncases == MAX_CASES) {
		fprintf(stderr, "harness: more than %d cases\n", MAX_CASES);
		abort();
	}
	cases[ncases++] = c;
}

static int by_id(const void *a, const void *b)
{
	return strcmp((*(const struct test_case *const *)a)->id,
		      (*(const struct test_case *const *)b)->id);
}

const struct test_case *const *test_host_cases(unsigned long *n)
{
	if (!sorted)
		qsort(cases, ncases, sizeof(cases[0]), by_id);
	sorted = 1;
	*n = ncases;
	return cases;
}

static void free_all(void)
{
	for (size_t i = 0; i < nallocs; i++)
		free(allocs[i]);
	free(allocs);
	allocs = NULL;
	nallocs = cap_allocs = 0;
}

void *test_alloc(size_t align, size_t size)
{
	if (align < sizeof(void *))
		align = sizeof(void *);
	size_t rounded = (size + align - 1) & ~(align - 1);
	void *p = aligned_alloc(align, rounded ? rounded : align);
	if (!p) {
		fprintf(stderr, "harness: out of memory (%zu bytes)\n", size);
		abort();
	}
	memset(p, 0, rounded ? rounded : align);
	if (nallocs == cap_allocs) {
		cap_allocs = cap_allocs ? 2 * cap_allocs : 256;
		allocs = realloc(allocs, cap_allocs * sizeof(*allocs));
		if (!allocs)
			abort();
	}
	allocs[nallocs++] = p;
	return p;
}

static int after(const char *id)
{
	(void)id;
	free_all();
	return 0;
}

/* The IDs named on the command line, if any. */
static int selected(const char *id)
{
	int any = 0;

	for (int i = 1; i < main_argc; i++) {
		if (main_argv[i][0] == '-')
			continue;
		any = 1;
		if (!strcmp(main_argv[i], id))
			return 1;
	}
	return !any;
}

static int run_forked(const struct test_case *c, const void *row)
{
	const char *id = row ? *(const char *const *)row : c->id;
	int st;

	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		alarm(TEST_TIMEOUT);
		int r = test_run_case(c, row);
		fflush(stdout);
		if (r == 0)
			exit(0);   /* exit, not _exit: LeakSanitizer checks the case */
		_exit(r == 2 ? SKIP_STATUS : FAIL_STATUS);
	}
	while (waitpid(pid, &st, 0) < 0)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == FAIL_STATUS)
		return 1;   /* the child printed its FAIL line */
	if (WIFEXITED(st) && WEXITSTATUS(st) == SKIP_STATUS)
		return 2;
	if (WIFSIGNALED(st))
		printf("FAIL %s: case crashed (signal %d%s)\n", id, WTERMSIG(st),
		       WTERMSIG(st) == SIGALRM ? ", timed out" : "");
	else
		printf("FAIL %s: case crashed or tripped a sanitizer (exit status %d)\n", id,
		       WEXITSTATUS(st));
	return 1;
}

int test_main(int argc, char **argv)
{
	struct test_suite s = { 0 };
	int fork_cases = 1;

	main_argc = argc;
	main_argv = argv;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--no-fork"))
			fork_cases = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	s.selected = selected;
	s.after = after;
	s.cleanup = free_all;
	s.run = fork_cases ? run_forked : NULL;
	return test_run(&s) ? 1 : 0;
}
