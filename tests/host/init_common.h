/*
 * Helpers shared by the host tests of init's policy code (init_*.c):
 * an allocator for models that counts what is outstanding and can be told
 * to fail, building models from config text, and looking for errors.
 */
#ifndef INIT_COMMON_H
#define INIT_COMMON_H

#include <harness.h>

#include <model.h>
#include <route.h>
#include <diff.h>
#include <report.h>
#include <policy.h>

/* ---- an allocator that counts and can fail ------------------------------ */

struct test_heap {
	size_t outstanding;     /* bytes allocated and not freed */
	unsigned allocs;        /* allocations so far */
	long fail_at;           /* the allocation with this number fails (-1: none) */
	bool fail_once;         /* only that one, not the later ones too */
};

static struct test_heap th_heap = { 0, 0, -1, false };

static inline void *th_alloc(void *ctx, size_t size)
{
	struct test_heap *h = ctx;
	long n = (long)h->allocs++;
	if (h->fail_at >= 0 && (h->fail_once ? n == h->fail_at : n >= h->fail_at))
		return NULL;
	void *p = malloc(size);
	if (p)
		h->outstanding += size;
	return p;
}

static inline void th_free(void *ctx, void *p, size_t size)
{
	struct test_heap *h = ctx;
	if (h->outstanding < size)
		abort();        /* freed more than was allocated: a bug in the code under test */
	h->outstanding -= size;
	free(p);
}

static const struct init_mem th_mem = { th_alloc, th_free, &th_heap };

static const struct init_budget BIG = { 1ull << 40, 1000000 };

/* ---- models ------------------------------------------------------------- */

/* A model of the text, which must build (rejected or not). */
static inline struct init_model *model_b(const char *text, const struct init_model *prev, struct init_budget budget)
{
	struct init_model *m = test_alloc(8, sizeof(*m));
	enum init_status st = init_model_build_text(m, text, strlen(text), prev, budget, &th_mem);
	CHECK_EQ(st, INIT_OK);
	return m;
}

static inline struct init_model *model_p(const char *text, const struct init_model *prev)
{
	return model_b(text, prev, BIG);
}

static inline struct init_model *model(const char *text)
{
	return model_b(text, NULL, BIG);
}

/* A model that must be accepted without any error. */
static inline struct init_model *good(const char *text)
{
	struct init_model *m = model(text);
	if (m->errors) {
		char buf[512];
		init_error_format(m->errors, "test", buf, sizeof(buf));
		CHECK_MSG(!m->errors, "unexpected error: %.200s", buf);
	}
	CHECK(!m->rejected);
	return m;
}

/* The first error whose message contains 'what', or NULL. */
static inline const struct init_error *find_error(const struct init_model *m, const char *what)
{
	for (const struct init_error *e = m->errors; e; e = e->next)
		if (strstr(e->msg, what))
			return e;
	return NULL;
}

static inline void dump_errors(const struct init_model *m)
{
	for (const struct init_error *e = m->errors; e; e = e->next) {
		char buf[512];
		init_error_format(e, "test", buf, sizeof(buf));
		printf("  error: %s\n", buf);
	}
}

/* The model has an error containing 'what' at line:col with that outcome. */
#define CHECK_ERROR(m, what, ln, cl, oc)                                          \
	do {                                                                      \
		const struct init_error *e_ = find_error((m), (what));            \
		if (!e_)                                                          \
			dump_errors(m);                                           \
		CHECK_MSG(e_ != NULL, "no error containing \"%s\"", (what));      \
		CHECK_MSG(e_->line == (ln) && e_->col == (cl),                    \
			  "\"%s\" at %u:%u, expected %u:%u", e_->msg, e_->line,   \
			  e_->col, (unsigned)(ln), (unsigned)(cl));               \
		CHECK_MSG(e_->outcome == (oc), "\"%s\": outcome %s", e_->msg,     \
			  init_outcome_text(e_->outcome));                        \
	} while (0)

static inline void release(struct init_model *m)
{
	init_model_free(m);
}

/* The config scaffold most tests use: a parent with the core services. */
#define PARENT_PROVIDES                                                           \
	"<parent-provides>"                                                       \
	"<service name=\"ROM\"/><service name=\"LOG\"/><service name=\"PD\"/>"     \
	"<service name=\"CPU\"/><service name=\"Timer\"/>"                        \
	"</parent-provides>"

/* ---- configs shared by the model's tests --------------------------------- */

/* A config that uses every setting (init_model.c, init_keep.c). */
static const char full_config[] __attribute__((unused)) =
	"<config version=\"7\" prio_levels=\"4\" verbose=\"yes\">\n"
	"  <parent-provides>\n"
	"    <service name=\"ROM\"/>\n"
	"    <service name=\"LOG\"/>\n"
	"    <service name=\"PD\"/>\n"
	"    <service name=\"CPU\"/>\n"
	"  </parent-provides>\n"
	"  <default caps=\"50\" ram=\"64K\"/>\n"
	"  <default-route>\n"
	"    <any-service> <parent/> <any-child/> </any-service>\n"
	"  </default-route>\n"
	"  <report requested=\"yes\" provided=\"yes\" child_ram=\"yes\" child_caps=\"no\" init_ram=\"yes\" delay_ms=\"250\"/>\n"
	"  <heartbeat rate_ms=\"500\"/>\n"
	"  <start name=\"timer\" caps=\"100\" ram=\"1M\" priority=\"-1\" version=\"2\">\n"
	"    <binary name=\"timer_drv\"/>\n"
	"    <provides> <service name=\"Timer\"/> </provides>\n"
	"    <heartbeat restart_after=\"3\"/>\n"
	"  </start>\n"
	"  <start name=\"app\" restart=\"on_fault\">\n"
	"    <binary name=\"app\"/>\n"
	"    <config verbose=\"no\"><arg value=\"1\"/></config>\n"
	"    <route>\n"
	"      <service name=\"Timer\" label_prefix=\"t\"> <child name=\"timer\" label=\"app-timer\"/> </service>\n"
	"      <service name=\"ROM\" label_last=\"data\"> <parent label_prefix=\"box\" label_last=\"file\"/> </service>\n"
	"      <any-service> <parent/> </any-service>\n"
	"    </route>\n"
	"  </start>\n"
	"  <service name=\"Timer\">\n"
	"    <policy label_suffix=\"x\"> <child name=\"timer\" label=\"outer\"/> </policy>\n"
	"    <default-policy> <child name=\"timer\"/> </default-policy>\n"
	"  </service>\n"
	"</config>\n";

#define NS INIT_OUTCOME_NOT_STARTED

/* Configs with an error, a row a case: each config gives an error
 * containing 'what' at line:col with that outcome. */
struct bad_config {
	const char *text, *what;
	unsigned line, col;
	enum init_outcome outcome;
};
struct bad_configs {
	TEST_ROW;
	struct bad_config c[6];   /* up to the first without text */
};
#endif
