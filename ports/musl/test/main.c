/*
 * libc_test: checks the musl port (ports/musl) inside a component: string,
 * stdlib (malloc on the component's heap), stdio formatting and output to
 * the LOG session, ctype, setjmp, math, errno and exit. run/libc_test
 * starts it as init and expects its printf lines and the counts.
 * Uses only the C headers, base's component.h and heap.h, and the test
 * harness's CHECK_CASE (lib/harness).
 */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <argil/component.h>
#include <harness.h>
#include <argil/heap.h>

static int near(double a, double b)
{
	return fabs(a - b) <= 1e-12 * (fabs(b) > 1 ? fabs(b) : 1);
}

static int by_value(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void test_string(void)
{
	char buf[32];
	char text[] = "a,b,,c";
	char *save;

	CHECK_CASE("STR_0001", "strlen", strlen("argil") == 5 && strlen("") == 0);
	CHECK_CASE("STR_0002", "strchr/strrchr", strchr("banana", 'n') - "banana" == 2 &&
	      strrchr("banana", 'n') - "banana" == 4 && !strchr("banana", 'x'));
	CHECK_CASE("STR_0003", "strstr", !strcmp(strstr("capability", "bil"), "bility") && !strstr("a", "ab"));
	CHECK_CASE("STR_0004", "strcmp order", strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0 &&
	      strncmp("abcx", "abcy", 3) == 0);
	memcpy(buf, "0123456789", 11);
	memmove(buf + 2, buf, 8);
	CHECK_CASE("STR_0005", "memmove overlapping", !memcmp(buf, "0101234567", 10));
	strcpy(buf, "cap");
	strcat(buf, "ability");
	CHECK_CASE("STR_0006", "strcpy/strcat", !strcmp(buf, "capability"));
	CHECK_CASE("STR_0007", "strtok_r", !strcmp(strtok_r(text, ",", &save), "a") &&
	      !strcmp(strtok_r(NULL, ",", &save), "b") && !strcmp(strtok_r(NULL, ",", &save), "c") &&
	      !strtok_r(NULL, ",", &save));
	CHECK_CASE("STR_0008", "memchr", memchr("abc", 'c', 3) && !memchr("abc", 'c', 2));
	CHECK_CASE("STR_0009", "strerror", !strcmp(strerror(ENOENT), "No such file or directory"));
	CHECK_CASE("STR_0010", "strspn/strcspn", strspn("aabbc", "ab") == 4 && strcspn("hello", "lo") == 2);
}

static void test_stdlib(void)
{
	size_t before = component_heap->used;
	char *p = malloc(1000), *big;
	int v[] = { 5, -3, 9, 0, 7, -3 }, key = 7;

	CHECK_CASE("STD_0001", "malloc draws from the component heap", p && component_heap->used > before);
	memset(p, 'x', 1000);
	p = realloc(p, 5000);
	CHECK_CASE("STD_0002", "realloc keeps the contents", p && p[0] == 'x' && p[999] == 'x');
	free(p);
	CHECK_CASE("STD_0003", "free returns to the heap", component_heap->used == before);
	big = calloc(100, 1000);   /* beyond HEAP_LARGE: a dataspace of its own */
	CHECK_CASE("STD_0004", "calloc zeroes", big && big[0] == 0 && big[99999] == 0);
	free(big);
	char *dup = strdup("label");
	CHECK_CASE("STD_0005", "strdup", dup && !strcmp(dup, "label"));
	free(dup);
	qsort(v, 6, sizeof(v[0]), by_value);
	CHECK_CASE("STD_0006", "qsort", v[0] == -3 && v[1] == -3 && v[2] == 0 && v[5] == 9);
	CHECK_CASE("STD_0007", "bsearch", *(int *)bsearch(&key, v, 6, sizeof(v[0]), by_value) == 7);
	CHECK_CASE("STD_0008", "strtol bases", strtol("-0x1f", NULL, 16) == -31 && strtol("0755", NULL, 0) == 493 &&
	      strtoul("z", NULL, 36) == 35);
	errno = 0;
	CHECK_CASE("STD_0009", "strtol overflow sets ERANGE", strtol("99999999999999999999", NULL, 10) == LONG_MAX &&
	      errno == ERANGE);
	char *end;
	CHECK_CASE("STD_0010", "strtod", strtod("1.5e-3xyz", &end) == 1.5e-3 && !strcmp(end, "xyz"));
	CHECK_CASE("STD_0011", "atoi/abs/div", atoi("  -42") == -42 && abs(-7) == 7 && div(17, 5).quot == 3 &&
	      div(17, 5).rem == 2);
	srand(7);
	int r1 = rand(), r2 = rand();
	srand(7);
	CHECK_CASE("STD_0012", "rand repeats after srand", rand() == r1 && rand() == r2 && r1 != r2);
}

static void test_stdio(void)
{
	char buf[64];
	int n, a;
	char word[16];

	snprintf(buf, sizeof(buf), "%d|%5.2f|%-6s|%x|%c", -12, 3.14159, "ab", 255, 'z');
	CHECK_CASE("STDIO_0001", "snprintf ints, floats, strings", !strcmp(buf, "-12| 3.14|ab    |ff|z"));
	snprintf(buf, sizeof(buf), "%e|%g|%g|%.3g", 12345.678, 0.0001, 1e20, 2.0 / 3);
	CHECK_CASE("STDIO_0002", "snprintf %e and %g", !strcmp(buf, "1.234568e+04|0.0001|1e+20|0.667"));
	snprintf(buf, sizeof(buf), "%lld|%llu|%zu|%08.3f", LLONG_MIN, ULLONG_MAX, (size_t)42, -1.5);
	CHECK_CASE("STDIO_0003", "snprintf 64-bit and padding",
	      !strcmp(buf, "-9223372036854775808|18446744073709551615|42|-001.500"));
	n = snprintf(buf, 8, "%s", "truncated text");
	CHECK_CASE("STDIO_0004", "snprintf truncates and counts", n == 14 && !strcmp(buf, "truncat"));
	n = sscanf("17 apples 2.5", "%d %15s", &a, word);
	CHECK_CASE("STDIO_0005", "sscanf", n == 2 && a == 17 && !strcmp(word, "apples"));
	snprintf(buf, sizeof(buf), "%a", 1.0);
	CHECK_CASE("STDIO_0006", "snprintf %a", !strcmp(buf, "0x1p+0"));
	/* to the LOG session: run/libc_test expects these lines */
	printf("libc_test: printf to LOG: %d %.3f %s\n", 42, M_PI, "hello");
	fprintf(stderr, "libc_test: stderr to LOG: %05d\n", 7);
	fputs("libc_test: fputs ", stdout);
	puts("and puts on one line");
}

static jmp_buf jump;

static void jump_back(int depth)
{
	if (depth < 0)
		return;   /* not reached; tells gcc the recursion ends */
	if (depth == 0)
		longjmp(jump, 42);
	jump_back(depth - 1);
}

static void test_setjmp(void)
{
	volatile int rounds = 0;
	int v = setjmp(jump);

	if (v == 0) {
		rounds++;
		jump_back(10);
	}
	CHECK_CASE("JMP_0001", "longjmp returns its value to setjmp", v == 42 && rounds == 1);
	static volatile int tries;
	int w = setjmp(jump);
	if (w == 0 && tries++ == 0)
		longjmp(jump, 0);   /* 0 becomes 1 */
	CHECK_CASE("JMP_0002", "longjmp with 0 returns 1 to setjmp", w == 1 && tries == 1);
}

static void test_ctype(void)
{
	int alpha = 0, digit = 0, space = 0;

	for (int c = 0; c < 256; c++) {
		alpha += !!isalpha(c);
		digit += !!isdigit(c);
		space += !!isspace(c);
	}
	CHECK_CASE("CTYPE_0001", "classes in the C locale", alpha == 52 && digit == 10 && space == 6);
	CHECK_CASE("CTYPE_0002", "toupper/tolower", toupper('q') == 'Q' && tolower('Q') == 'q' && toupper('1') == '1');
	CHECK_CASE("CTYPE_0003", "isxdigit/ispunct", isxdigit('F') && !isxdigit('g') && ispunct('!') && !ispunct('a'));
}

static void test_math(void)
{
	CHECK_CASE("MATH_0001", "sqrt", near(sqrt(2.0), 1.4142135623730951) && sqrt(-1.0) != sqrt(-1.0));
	CHECK_CASE("MATH_0002", "sin/cos/atan2", near(sin(M_PI / 6), 0.5) && near(cos(M_PI), -1.0) &&
	      near(atan2(1.0, 1.0), M_PI / 4));
	CHECK_CASE("MATH_0003", "exp/pow/log10/log2", near(exp(1.0), M_E) && pow(2.0, 10.0) == 1024.0 &&
	      near(log10(1000.0), 3.0) && log2(1024.0) == 10.0);
	CHECK_CASE("MATH_0004", "floor/ceil/fmod/round", floor(-1.5) == -2.0 && ceil(1.2) == 2.0 &&
	      fmod(7.5, 2.0) == 1.5 && round(2.5) == 3.0);
	CHECK_CASE("MATH_0005", "isnan/isinf/HUGE_VAL", isnan(NAN) && isinf(HUGE_VAL) && !isinf(DBL_MAX));
	CHECK_CASE("MATH_0006", "float functions", sqrtf(16.0f) == 4.0f && fabsf(-2.5f) == 2.5f);
	CHECK_CASE("MATH_0007", "long double", sqrtl(4.0L) == 2.0L && fabsl(-3.0L) == 3.0L);
}

static void at_exit(void)
{
	printf("libc_test: atexit handler ran\n");
	fputs("libc_test: flushed at exit", stdout);   /* no newline: exit flushes it */
}

void component_construct(struct component_env *env)
{
	(void)env;
	atexit(at_exit);
	test_string();
	test_stdlib();
	test_stdio();
	test_setjmp();
	test_ctype();
	test_math();
	exit(test_done("libc_test") ? 1 : 0);
}
