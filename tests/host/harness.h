/*
 * A minimal test harness for the host unit tests (tests/host/NAME.c).
 *
 *     TEST(AREA_0001, "one line saying what must hold")
 *     {
 *         CHECK(x != NULL);
 *         CHECK_EQ(a, b);            // both shown as hex on failure
 *     }
 *
 *     int main(int argc, char **argv) { return ht_main(argc, argv); }
 *
 * Cases run in ID order, each in a forked child so that a crash, a sanitizer
 * report or a hang (ht_timeout seconds) fails that case only. A case stops
 * at its first failed check. Output: one line per case,
 *     ok <ID> <description>
 *     FAIL <ID> <file>:<line>: <expression> [values]
 * and last `N passed, N failed`; the exit status is 1 if anything failed.
 * Arguments: case IDs to run only those; --no-fork runs cases in-process
 * (for a debugger; a crash then ends the run).
 *
 * Memory for a case comes from ht_alloc(): zeroed, aligned, freed after the
 * case whether it passed or not.
 */
#ifndef HOST_HARNESS_H
#define HOST_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

#define HT_MAX_CASES 512
#define HT_FAIL_STATUS 3

struct ht_case {
	const char *id, *desc, *file;
	int line;
	void (*fn)(void);
};

static struct ht_case ht_cases[HT_MAX_CASES];
static unsigned ht_ncases;
static const struct ht_case *ht_current;
static int ht_forked = 1;
static unsigned ht_timeout = 120;

static void **ht_allocs;
static size_t ht_nallocs, ht_cap_allocs;

static inline void ht_register(const char *id, const char *desc, const char *file, int line, void (*fn)(void))
{
	if (ht_ncases == HT_MAX_CASES) {
		fprintf(stderr, "harness: more than %d cases\n", HT_MAX_CASES);
		abort();
	}
	ht_cases[ht_ncases++] = (struct ht_case){ id, desc, file, line, fn };
}

#define TEST(ID, DESC)                                                        \
	static void ID##_run(void);                                           \
	__attribute__((constructor)) static void ID##_register(void)          \
	{                                                                     \
		ht_register(#ID, DESC, __FILE__, __LINE__, ID##_run);         \
	}                                                                     \
	static void ID##_run(void)

static inline void ht_free_all(void)
{
	for (size_t i = 0; i < ht_nallocs; i++)
		free(ht_allocs[i]);
	free(ht_allocs);
	ht_allocs = NULL;
	ht_nallocs = ht_cap_allocs = 0;
}

/* Zeroed memory of size bytes aligned to align (a power of two). */
static inline void *ht_alloc(size_t align, size_t size)
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
	if (ht_nallocs == ht_cap_allocs) {
		ht_cap_allocs = ht_cap_allocs ? 2 * ht_cap_allocs : 256;
		ht_allocs = realloc(ht_allocs, ht_cap_allocs * sizeof(*ht_allocs));
		if (!ht_allocs)
			abort();
	}
	ht_allocs[ht_nallocs++] = p;
	return p;
}

__attribute__((noreturn)) static inline void ht_fail(const char *file, int line, const char *expr, const char *detail)
{
	printf("FAIL %s %s:%d: %s%s%s\n", ht_current ? ht_current->id : "?", file, line, expr,
	       detail && *detail ? " " : "", detail ? detail : "");
	fflush(stdout);
	if (ht_forked)
		_exit(HT_FAIL_STATUS);
	/* in-process: the case is abandoned; its memory is freed by the runner */
	ht_free_all();
	exit(HT_FAIL_STATUS);
}

#define CHECK(e)                                                              \
	do {                                                                  \
		if (!(e))                                                     \
			ht_fail(__FILE__, __LINE__, #e, NULL);                \
	} while (0)

#define CHECK_MSG(e, ...)                                                     \
	do {                                                                  \
		if (!(e)) {                                                   \
			char ht_msg_[256];                                    \
			snprintf(ht_msg_, sizeof(ht_msg_), __VA_ARGS__);      \
			ht_fail(__FILE__, __LINE__, #e, ht_msg_);             \
		}                                                             \
	} while (0)

#define CHECK_EQ(a, b)                                                        \
	do {                                                                  \
		uint64_t ht_a_ = (uint64_t)(uintptr_t)(a);                    \
		uint64_t ht_b_ = (uint64_t)(uintptr_t)(b);                    \
		if (ht_a_ != ht_b_) {                                         \
			char ht_msg_[96];                                     \
			snprintf(ht_msg_, sizeof(ht_msg_), "[0x%llx != 0x%llx]", \
				 (unsigned long long)ht_a_, (unsigned long long)ht_b_); \
			ht_fail(__FILE__, __LINE__, #a " == " #b, ht_msg_);   \
		}                                                             \
	} while (0)

static inline int ht_cmp_cases(const void *a, const void *b)
{
	return strcmp(((const struct ht_case *)a)->id, ((const struct ht_case *)b)->id);
}

static inline int ht_selected(const struct ht_case *c, int argc, char **argv)
{
	int any = 0;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		any = 1;
		if (!strcmp(argv[i], c->id))
			return 1;
	}
	return !any;
}

static inline int ht_main(int argc, char **argv)
{
	unsigned passed = 0, failed = 0;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--no-fork"))
			ht_forked = 0;
	qsort(ht_cases, ht_ncases, sizeof(ht_cases[0]), ht_cmp_cases);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (unsigned i = 0; i < ht_ncases; i++) {
		const struct ht_case *c = &ht_cases[i];
		if (!ht_selected(c, argc, argv))
			continue;
		ht_current = c;
		fflush(stdout);
		fflush(stderr);
		if (!ht_forked) {
			c->fn();
			ht_free_all();
			printf("ok %s %s\n", c->id, c->desc);
			passed++;
			continue;
		}
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 2;
		}
		if (pid == 0) {
			alarm(ht_timeout);
			c->fn();
			ht_free_all();
			fflush(stdout);
			exit(0);   /* exit, not _exit: LeakSanitizer checks the case */
		}
		int st;
		while (waitpid(pid, &st, 0) < 0)
			;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			printf("ok %s %s\n", c->id, c->desc);
			passed++;
		} else if (WIFEXITED(st) && WEXITSTATUS(st) == HT_FAIL_STATUS) {
			failed++;   /* the child printed its FAIL line */
		} else {
			if (WIFSIGNALED(st))
				printf("FAIL %s %s:%d: case crashed (signal %d%s)\n", c->id, c->file, c->line,
				       WTERMSIG(st), WTERMSIG(st) == SIGALRM ? ", timed out" : "");
			else
				printf("FAIL %s %s:%d: case crashed or tripped a sanitizer (exit status %d)\n",
				       c->id, c->file, c->line, WEXITSTATUS(st));
			failed++;
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	fflush(stdout);
	return failed ? 1 : 0;
}

#endif
