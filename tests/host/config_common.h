/*
 * Helpers of the host tests of the config format (config.c: parser;
 * config_out.c: getters, printer, cfg_equal, writer): parsing from exact-size
 * heap copies, checking errors, printing and round trips.
 */
#ifndef TESTS_CONFIG_COMMON_H
#define TESTS_CONFIG_COMMON_H

#include <harness.h>

#include <argil/config.h>

static struct cfg_error last_err __attribute__((unused));

/* Parse len bytes of s from an exact-size heap copy into an arena of
 * cfg_arena_size(len) bytes. The tree does not point into the input. */
static inline struct cfg_node *parse_n(const char *s, size_t len)
{
	char *copy = malloc(len ? len : 1);
	if (!copy)
		abort();
	memcpy(copy, s, len);
	size_t size = cfg_arena_size(len);
	void *arena = test_alloc(8, size);
	struct cfg_node *n = cfg_parse(copy, len, arena, size, &last_err);
	free(copy);
	return n;
}

static inline const char *err_msg(void)
{
	return last_err.msg ? last_err.msg : "(null)";
}

#define CHECK_PARSES(lit) check_ok(__LINE__, lit, sizeof(lit) - 1)
static inline struct cfg_node *check_ok(int line, const char *s, size_t len)
{
	struct cfg_node *n = parse_n(s, len);
	CHECK_MSG(n != NULL, "(line %d) error %u:%u %s", line, last_err.line, last_err.col, err_msg());
	CHECK_MSG(last_err.msg == NULL && last_err.line == 0 && last_err.col == 0,
		  "(line %d) error not cleared on success", line);
	return n;
}

#define CHECK_ERR(lit, l, c, m) check_err(__LINE__, lit, sizeof(lit) - 1, l, c, m)
static inline void check_err(int line, const char *s, size_t len, unsigned l, unsigned c, const char *m)
{
	struct cfg_node *n = parse_n(s, len);
	CHECK_MSG(n == NULL && last_err.msg && !strcmp(last_err.msg, m) && last_err.line == l &&
		  last_err.col == c,
		  "(line %d) want %u:%u \"%s\", got %s %u:%u \"%s\"", line, l, c, m,
		  n ? "success" : "error", last_err.line, last_err.col, err_msg());
}

static inline char *print_alloc(const struct cfg_node *n, size_t *len)
{
	size_t need = cfg_print(n, NULL, 0);
	char *buf = test_alloc(1, need + 1);
	CHECK_EQ(cfg_print(n, buf, need + 1), need);
	CHECK_EQ(strlen(buf), need);
	*len = need;
	return buf;
}

/* parse -> print -> parse gives an equal tree; printing that again gives
 * the same bytes. */
#define CHECK_ROUND_TRIP(n) check_round_trip(__LINE__, n)
static inline void check_round_trip(int line, const struct cfg_node *n)
{
	size_t len1, len2;
	char *out1 = print_alloc(n, &len1);
	struct cfg_node *m = parse_n(out1, len1);
	CHECK_MSG(m != NULL, "(line %d) printed output does not parse: %u:%u %s\n%s", line,
		  last_err.line, last_err.col, err_msg(), out1);
	CHECK_MSG(cfg_equal(n, m), "(line %d) printed tree differs:\n%s", line, out1);
	char *out2 = print_alloc(m, &len2);
	CHECK_MSG(len1 == len2 && !memcmp(out1, out2, len1), "(line %d) second print differs", line);
}

#define CHECK_PRINT(n, lit) check_print(__LINE__, n, lit)
static inline void check_print(int line, const struct cfg_node *n, const char *want)
{
	size_t len;
	char *out = print_alloc(n, &len);
	CHECK_MSG(!strcmp(out, want), "(line %d) printed\n%s\nwant\n%s", line, out, want);
}

static inline unsigned nattrs(const struct cfg_node *n)
{
	unsigned k = 0;
	for (const struct cfg_attr *a = n->attrs; a; a = a->next)
		k++;
	return k;
}

/* A buffer of 'reps' copies of 'unit' between 'head' and 'tail'. */
static inline char *repeat(const char *head, const char *unit, size_t reps, const char *tail, size_t *len)
{
	size_t h = strlen(head), u = strlen(unit), t = strlen(tail);
	*len = h + u * reps + t;
	char *b = test_alloc(1, *len + 1);
	memcpy(b, head, h);
	for (size_t i = 0; i < reps; i++)
		memcpy(b + h + i * u, unit, u);
	memcpy(b + h + u * reps, tail, t);
	return b;
}

/* depth nested <n> nodes, the innermost empty or holding 'inner' */
static inline char *nest(unsigned depth, const char *inner, size_t *len)
{
	size_t in = strlen(inner);
	*len = depth * 7 + in;
	char *b = test_alloc(1, *len + 1), *p = b;
	for (unsigned i = 0; i < depth; i++, p += 3)
		memcpy(p, "<n>", 3);
	memcpy(p, inner, in);
	p += in;
	for (unsigned i = 0; i < depth; i++, p += 4)
		memcpy(p, "</n>", 4);
	return b;
}

#endif
