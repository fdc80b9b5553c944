// sources: base/src/config_parse.c base/src/config_query.c base/src/config_write.c os/init/model.c os/init/check.c os/init/parse.c os/init/start.c os/init/settle.c os/init/text.c os/init/route.c os/init/diff.c os/init/report.c os/init/policy.c
// cflags: -Ios/init -DINIT_CHUNK_MIN=16
/*
 * Host tests of init's config model (os/init/model.c): settings kept from
 * the model in effect when a new <start> node has an error, and running out
 * of memory while building a model.
 *
 * Areas: KEEP (previous settings), MEM (allocation failures).
 */
#include "init_common.h"

/* ---- previous settings -------------------------------------------------- */

static const char keep_v1[] =
	"<config>\n"
	"<start name=\"srv\" ram=\"1M\" caps=\"10\"><binary name=\"srv\"/><provides><service name=\"S\"/></provides></start>\n"
	"<start name=\"cli\" ram=\"1M\" caps=\"10\" version=\"1\"><binary name=\"cli\"/><config><a/></config>\n"
	"<route><service name=\"S\"><child name=\"srv\"/></service></route></start>\n"
	"</config>";

TEST(KEEP_0001, "a running child whose new <start> has an error keeps its previous settings")
{
	struct init_model *v1 = good(keep_v1);
	struct init_model *v2 = model_p("<config>\n"
		"<start name=\"srv\" ram=\"1M\" caps=\"10\"><binary name=\"srv\"/><provides><service name=\"S\"/></provides></start>\n"
		"<start name=\"cli\" ram=\"2M\" caps=\"10\" version=\"2\" bogus=\"1\"><binary name=\"cli\"/></start>\n"
		"</config>", v1);
	CHECK(!v2->rejected);
	CHECK_ERROR(v2, "unknown attribute 'bogus'", 3, 1, INIT_OUTCOME_KEPT);
	const struct init_child *c = init_model_child(v2, "cli");
	CHECK(c != NULL);
	CHECK(c->carried);
	CHECK_EQ(c->ram, 1 << 20);
	CHECK(!strcmp(c->version, "1"));
	CHECK(!strcmp(c->config, "<config>\n  <a/>\n</config>\n"));
	CHECK_EQ(c->route.n_rules, 1);
	CHECK_EQ(c->line, 3);
	release(v1);
	/* the kept settings are a copy: the old model is gone */
	CHECK(!strcmp(c->route.rules[0].targets[0].child, "srv"));
	release(v2);
	CHECK_EQ(th_heap.outstanding, 0);
}

TEST(KEEP_0002, "raising quota beyond the budget keeps the previous quota")
{
	struct init_budget budget = { 3 << 20, 1000 };
	struct init_model *v1 = model_b(keep_v1, NULL, budget);
	CHECK(!v1->errors);
	struct init_model *v2 = model_b("<config>\n"
		"<start name=\"srv\" ram=\"1M\" caps=\"10\"><binary name=\"srv\"/><provides><service name=\"S\"/></provides></start>\n"
		"<start name=\"cli\" ram=\"4M\" caps=\"10\" version=\"1\"><binary name=\"cli\"/><config><a/></config>\n"
		"<route><service name=\"S\"><child name=\"srv\"/></service></route></start>\n"
		"</config>", v1, budget);
	CHECK_ERROR(v2, "RAM quota of child 'cli' (4194304 bytes) exceeds", 3, 1, INIT_OUTCOME_KEPT);
	CHECK_EQ(init_model_child(v2, "cli")->ram, 1 << 20);
	CHECK(init_model_child(v2, "cli")->carried);
	release(v1);
	release(v2);
}

TEST(KEEP_0003, "kept settings whose route target is gone: the child is stopped")
{
	struct init_model *v1 = good(keep_v1);
	struct init_model *v2 = model_p("<config>\n"
		"<start name=\"cli\" ram=\"1M\" caps=\"10\" version=\"1\"><binary name=\"cli\"/>\n"
		"<route><service name=\"S\"><child name=\"srv\"/></service></route></start>\n"
		"</config>", v1);
	CHECK(!v2->rejected);
	/* the new node fails first, then the kept settings fail the same way */
	CHECK(find_error(v2, "previous settings: route target child 'srv' does not exist") != NULL);
	CHECK_ERROR(v2, "previous settings: route target child 'srv' does not exist", 2, 1, INIT_OUTCOME_STOPPED);
	CHECK_ERROR(v2, "route target child 'srv' does not exist", 3, 26, INIT_OUTCOME_STOPPED);
	CHECK(init_model_child(v2, "cli") == NULL);
	CHECK_EQ(v2->n_children, 0);
	release(v1);
	release(v2);
}

TEST(KEEP_0004, "a valid new <start> replaces the previous settings")
{
	struct init_model *v1 = good(keep_v1);
	struct init_model *v2 = model_p("<config>\n"
		"<start name=\"srv\" ram=\"1M\" caps=\"10\"><binary name=\"srv\"/><provides><service name=\"S\"/></provides></start>\n"
		"<start name=\"cli\" ram=\"2M\" caps=\"10\" version=\"2\"><binary name=\"cli\"/></start>\n"
		"</config>", v1);
	CHECK(!v2->errors);
	const struct init_child *c = init_model_child(v2, "cli");
	CHECK(!c->carried);
	CHECK_EQ(c->ram, 2 << 20);
	CHECK(!c->has_route);
	release(v1);
	release(v2);
}

TEST(KEEP_0005, "a new child with an error is not started even if another child runs")
{
	struct init_model *v1 = good(keep_v1);
	struct init_model *v2 = model_p("<config>\n"
		"<start name=\"srv\" ram=\"1M\" caps=\"10\"><binary name=\"srv\"/><provides><service name=\"S\"/></provides></start>\n"
		"<start name=\"new\" ram=\"1M\"><binary name=\"new\"/></start>\n"
		"</config>", v1);
	CHECK_ERROR(v2, "missing attribute 'caps'", 3, 1, NS);
	CHECK(init_model_child(v2, "new") == NULL);
	CHECK(init_model_child(v2, "cli") == NULL);   /* removed from the config */
	release(v1);
	release(v2);
}

TEST(KEEP_0006, "a kept server keeps serving: its client's new route is valid")
{
	struct init_model *v1 = good(keep_v1);
	struct init_model *v2 = model_p("<config>\n"
		"<start name=\"srv\" ram=\"1M\" caps=\"10\" bad=\"1\"><binary name=\"srv\"/></start>\n"
		"<start name=\"cli\" ram=\"1M\" caps=\"10\" version=\"1\"><binary name=\"cli\"/><config><a/></config>\n"
		"<route><service name=\"S\"><child name=\"srv\"/></service></route></start>\n"
		"</config>", v1);
	CHECK_ERROR(v2, "unknown attribute 'bad'", 2, 1, INIT_OUTCOME_KEPT);
	CHECK(init_model_child(v2, "srv")->carried);
	CHECK(init_child_provides(init_model_child(v2, "srv"), "S"));
	CHECK(!init_model_child(v2, "cli")->carried);
	CHECK_EQ(v2->n_errors, 1);
	release(v1);
	release(v2);
}

TEST(KEEP_0007, "a second provider of a service is taken as it is")
{
	struct init_model *v1 = good("<config>\n"
		"<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><provides><service name=\"S\"/></provides></start>\n"
		"<start name=\"b\" ram=\"1M\" caps=\"1\"><binary name=\"b\"/></start>\n</config>");
	struct init_model *v2 = model_p("<config>\n"
		"<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><provides><service name=\"S\"/></provides></start>\n"
		"<start name=\"b\" ram=\"1M\" caps=\"1\"><binary name=\"b\"/><provides><service name=\"S\"/></provides></start>\n"
		"</config>", v1);
	CHECK_EQ(v2->n_errors, 0);
	CHECK_EQ(init_model_child(v2, "b")->n_provides, 1);
	CHECK(init_child_provides(init_model_child(v2, "a"), "S"));
	release(v1);
	release(v2);
}

TEST(KEEP_0008, "a kept child's service and a later new provider of it stand side by side")
{
	struct init_model *v1 = good("<config>\n"
		"<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><provides><service name=\"S\"/></provides></start>\n"
		"</config>");
	struct init_model *v2 = model_p("<config>\n"
		"<start name=\"a\" ram=\"1M\" caps=\"1\" x=\"\"><binary name=\"a\"/></start>\n"
		"<start name=\"b\" ram=\"1M\" caps=\"1\"><binary name=\"b\"/><provides><service name=\"S\"/></provides></start>\n"
		"</config>", v1);
	CHECK_ERROR(v2, "unknown attribute 'x'", 2, 1, INIT_OUTCOME_KEPT);
	CHECK_EQ(v2->n_errors, 1);
	CHECK(init_child_provides(init_model_child(v2, "a"), "S"));
	CHECK(init_child_provides(init_model_child(v2, "b"), "S"));
	release(v1);
	release(v2);
}

TEST(KEEP_0009, "a rejected config changes nothing: it has errors, the old model stays valid")
{
	struct init_model *v1 = good(keep_v1);
	struct init_model *v2 = model_p("<config>\n<parent-provides><service/></parent-provides>\n</config>", v1);
	CHECK(v2->rejected);
	CHECK_ERROR(v2, "missing attribute 'name'", 2, 18, INIT_OUTCOME_CONFIG_IGNORED);
	release(v2);
	CHECK_EQ(v1->n_children, 2);
	release(v1);
}

TEST(KEEP_0010, "a duplicate of a running child's name does not touch the child")
{
	struct init_model *v1 = good(keep_v1);
	struct init_model *v2 = model_p("<config>\n"
		"<start name=\"srv\" ram=\"1M\" caps=\"10\"><binary name=\"srv\"/><provides><service name=\"S\"/></provides></start>\n"
		"<start name=\"srv\" ram=\"9M\" caps=\"10\"><binary name=\"other\"/></start>\n"
		"</config>", v1);
	CHECK_ERROR(v2, "duplicate child name \"srv\"", 3, 1, INIT_OUTCOME_NODE_IGNORED);
	CHECK_EQ(init_model_child(v2, "srv")->ram, 1 << 20);
	CHECK(!init_model_child(v2, "srv")->carried);
	release(v1);
	release(v2);
}

/* ---- running out of memory ---------------------------------------------- */

/* Builds 'text' with allocation n failing (and, unless once, all after it);
 * true once no allocation failed. Nothing may stay allocated on failure. */
static bool build_failing(const char *text, const struct init_model *prev, long n, bool once, unsigned want_children)
{
	struct init_model m;
	size_t base = th_heap.outstanding;

	th_heap.allocs = 0;
	th_heap.fail_at = n;
	th_heap.fail_once = once;
	enum init_status st = init_model_build_text(&m, text, strlen(text), prev, BIG, &th_mem);
	bool failed = (long)th_heap.allocs > n;
	th_heap.fail_at = -1;
	th_heap.fail_once = false;
	if (st == INIT_OK) {
		CHECK(!failed);
		CHECK_EQ(m.n_children, want_children);
		init_model_free(&m);
	} else {
		CHECK_EQ(st, INIT_NO_MEMORY);
		CHECK(failed);
		CHECK_EQ(m.n_children, 0);
		CHECK(m.errors == NULL);
	}
	CHECK_EQ(th_heap.outstanding, base);
	return st == INIT_OK;
}

TEST(MEM_0001, "every allocation failure gives INIT_NO_MEMORY and leaves nothing allocated")
{
	struct init_model *prev = good(keep_v1);
	size_t base = th_heap.outstanding;
	const char *text = full_config;
	bool succeeded = false;

	for (long n = 0; n < 10000 && !succeeded; n++) {
		struct init_model m;
		th_heap.allocs = 0;
		th_heap.fail_at = n;
		enum init_status st = init_model_build_text(&m, text, strlen(text), prev, BIG, &th_mem);
		th_heap.fail_at = -1;
		if (st == INIT_OK) {
			succeeded = true;
			CHECK(!m.errors);
			CHECK_EQ(m.n_children, 2);
			init_model_free(&m);
		} else {
			CHECK_EQ(st, INIT_NO_MEMORY);
			CHECK_EQ(m.n_children, 0);
			CHECK(m.errors == NULL);
		}
		CHECK_EQ(th_heap.outstanding, base);
	}
	CHECK(succeeded);
	release(prev);
}

TEST(MEM_0002, "allocation failures while keeping previous settings")
{
	struct init_model *prev = good(keep_v1);
	size_t base = th_heap.outstanding;
	const char *text = "<config>\n"
		"<start name=\"srv\" ram=\"1M\" caps=\"10\" x=\"1\"><binary name=\"srv\"/></start>\n"
		"<start name=\"cli\" ram=\"1M\" caps=\"10\" y=\"1\"><binary name=\"cli\"/></start>\n</config>";
	bool succeeded = false;

	for (long n = 0; n < 10000 && !succeeded; n++) {
		struct init_model m;
		th_heap.allocs = 0;
		th_heap.fail_at = n;
		enum init_status st = init_model_build_text(&m, text, strlen(text), prev, BIG, &th_mem);
		th_heap.fail_at = -1;
		if (st == INIT_OK) {
			succeeded = true;
			CHECK_EQ(m.n_children, 2);
			CHECK(init_model_child(&m, "cli")->carried && init_model_child(&m, "srv")->carried);
			init_model_free(&m);
		}
		CHECK_EQ(th_heap.outstanding, base);
	}
	CHECK(succeeded);
	release(prev);
}

/* Allocations a successful build of 'text' makes. */
static long count_allocations(const char *text, const struct init_model *prev)
{
	struct init_model m;
	th_heap.allocs = 0;
	CHECK_EQ(init_model_build_text(&m, text, strlen(text), prev, BIG, &th_mem), INIT_OK);
	long n = (long)th_heap.allocs;
	init_model_free(&m);
	return n;
}

TEST(MEM_0004, "a single failing allocation (the later ones succeed) is handled at every point")
{
	static const char kept[] = "<config>\n<start name=\"srv\" ram=\"1M\" caps=\"10\" x=\"1\"><binary name=\"srv\"/></start>\n"
	                           "<start name=\"cli\" ram=\"1M\" caps=\"10\" y=\"1\"><binary name=\"cli\"/></start>\n</config>";
	struct init_model *prev = good(keep_v1);
	/* 16-byte chunks: each allocation of the build is one call of the allocator */
	long total = count_allocations(full_config, prev);
	CHECK_MSG(total > 30, "only %ld allocations", total);
	for (long n = 0; n < total; n++)
		CHECK_MSG(!build_failing(full_config, prev, n, true, 2), "allocation %ld failed unnoticed", n);
	CHECK(build_failing(full_config, prev, total, true, 2));
	total = count_allocations(kept, prev);
	for (long n = 0; n < total; n++)
		CHECK(!build_failing(kept, prev, n, true, 2));
	CHECK(build_failing(kept, prev, total, true, 2));
	release(prev);
}

TEST(MEM_0003, "large configs: many children, each with a route")
{
	size_t cap = 1 << 20, len = 0;
	char *text = malloc(cap);
	len += (size_t)snprintf(text + len, cap - len, "<config>" PARENT_PROVIDES);
	for (unsigned i = 0; i < 500; i++)
		len += (size_t)snprintf(text + len, cap - len,
		        "<start name=\"c%u\" ram=\"1M\" caps=\"10\"><binary name=\"b\"/><provides><service name=\"S%u\"/>"
		        "</provides><route><service name=\"S%u\"><child name=\"c%u\"/></service><any-service><parent/>"
		        "</any-service></route></start>", i, i, i ? i - 1 : 1, i ? i - 1 : 1);
	len += (size_t)snprintf(text + len, cap - len, "</config>");
	struct init_model *m = test_alloc(8, sizeof(*m));
	CHECK_EQ(init_model_build_text(m, text, len, NULL, BIG, &th_mem), INIT_OK);
	free(text);
	CHECK(!m->rejected);
	CHECK_EQ(m->n_children, 500);   /* c0 routes to c1, which comes later: order does not matter */
	release(m);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
