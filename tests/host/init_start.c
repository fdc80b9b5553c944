// sources: base/src/config_parse.c base/src/config_query.c base/src/config_write.c os/init/model.c os/init/check.c os/init/parse.c os/init/start.c os/init/settle.c os/init/text.c os/init/route.c os/init/diff.c os/init/report.c os/init/policy.c
// cflags: -Ios/init -DINIT_CHUNK_MIN=16
/*
 * Host tests of init's config model (os/init/model.c): errors that reject
 * one <start> node (the other children still run) and conflicts between
 * children, each with its line, column and consequence.
 *
 * Areas: STARTERR (errors of one <start> node), CONFLICT (conflicts between
 * children).
 */
#include "init_common.h"

/* ---- errors that reject one <start> node -------------------------------- */

/* A config with a valid child "ok" first and the given <start> node on line 3. */
static struct init_model *with_start(const char *start)
{
	char cfg[2048];
	snprintf(cfg, sizeof(cfg),
	         "<config>\n" PARENT_PROVIDES "\n"
	         "%s\n"
	         "<start name=\"ok\" ram=\"1M\" caps=\"10\"><binary name=\"ok\"/></start>\n"
	         "</config>", start);
	return model(cfg);
}

/* The node on line 3 is rejected for 'what' at 3:col; "ok" still runs. */
#define CHECK_START_ERROR(start, what, ln, cl, oc)                               \
	do {                                                                      \
		struct init_model *m_ = with_start(start);                        \
		CHECK(!m_->rejected);                                             \
		CHECK_ERROR(m_, what, ln, cl, oc);                                \
		CHECK_EQ(find_error(m_, what)->scope, INIT_ERR_CHILD);            \
		CHECK(init_model_child(m_, "ok") != NULL);                        \
		CHECK_EQ(m_->n_children, 1);                                      \
		release(m_);                                                      \
	} while (0)

/* A <start> node of one child "a" with its binary, and what follows. */
#define SA "<start name=\"a\" ram=\"1M\" caps=\"1\">"
#define BA "<binary name=\"a\"/>"
#define NI INIT_OUTCOME_NODE_IGNORED

/* The <start> node on line 3 (with_start) is rejected; "ok" still runs. */
static void check_bad_starts(const struct bad_configs *row)
{
	for (const struct bad_config *c = row->c; c < row->c + 6 && c->text; c++)
		CHECK_START_ERROR(c->text, c->what, c->line, c->col, c->outcome);
}

static const struct bad_configs bad_starts[] = {
	{ "STARTERR_0001", "<start> without a name: the node is ignored", {
		{ "<start ram=\"1M\" caps=\"1\"><binary name=\"a\"/></start>",
		  "missing attribute 'name' in <start>", 3, 1, NI },
	} },
	{ "STARTERR_0002", "<start> with an empty name or one containing \" -> \"", {
		{ "<start name=\"\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/></start>",
		  "bad name \"\" in <start>", 3, 1, NI },
		{ "<start name=\"a -> b\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/></start>",
		  "bad name \"a -> b\" in <start>", 3, 1, NI },
	} },
	{ "STARTERR_0004", "an unknown attribute of <start>", {
		{ "<start name=\"a\" ram=\"1M\" caps=\"1\" affinity=\"1\"><binary name=\"a\"/></start>",
		  "unknown attribute 'affinity' in <start>", 3, 1, NS },
	} },
	{ "STARTERR_0005", "missing ram and no default", {
		{ "<start name=\"a\" caps=\"1\"><binary name=\"a\"/></start>",
		  "missing attribute 'ram' in <start> (and no <default ram=...>)", 3, 1, NS },
	} },
	{ "STARTERR_0006", "bad and zero ram", {
		{ "<start name=\"a\" ram=\"lots\" caps=\"1\"><binary name=\"a\"/></start>",
		  "bad value \"lots\" of attribute 'ram' in <start>", 3, 1, NS },
		{ "<start name=\"a\" ram=\"99999999999G\" caps=\"1\"><binary name=\"a\"/></start>",
		  "of attribute 'ram'", 3, 1, NS },
		{ "<start name=\"a\" ram=\"0\" caps=\"1\"><binary name=\"a\"/></start>",
		  "attribute 'ram' in <start> must not be 0", 3, 1, NS },
	} },
	{ "STARTERR_0007", "missing, bad and zero caps", {
		{ "<start name=\"a\" ram=\"1M\"><binary name=\"a\"/></start>",
		  "missing attribute 'caps' in <start>", 3, 1, NS },
		{ "<start name=\"a\" ram=\"1M\" caps=\"1K\"><binary name=\"a\"/></start>",
		  "bad value \"1K\" of attribute 'caps'", 3, 1, NS },
		{ "<start name=\"a\" ram=\"1M\" caps=\"0\"><binary name=\"a\"/></start>",
		  "attribute 'caps' in <start> must not be 0", 3, 1, NS },
	} },
	{ "STARTERR_0008", "priority outside 0 .. -(prio_levels - 1), or not a number", {
		{ "<start name=\"a\" ram=\"1M\" caps=\"1\" priority=\"-1\"><binary name=\"a\"/></start>",
		  "bad value \"-1\" of attribute 'priority' in <start> (expected 0 to -0)", 3, 1, NS },
		{ "<start name=\"a\" ram=\"1M\" caps=\"1\" priority=\"1\"><binary name=\"a\"/></start>",
		  "attribute 'priority'", 3, 1, NS },
		{ "<start name=\"a\" ram=\"1M\" caps=\"1\" priority=\"high\"><binary name=\"a\"/></start>",
		  "attribute 'priority'", 3, 1, NS },
		{ "<start name=\"a\" ram=\"1M\" caps=\"1\" priority=\"-\"><binary name=\"a\"/></start>",
		  "attribute 'priority'", 3, 1, NS },
	} },
	{ "STARTERR_0009", "a bad restart policy", {
		{ "<start name=\"a\" ram=\"1M\" caps=\"1\" restart=\"sometimes\"><binary name=\"a\"/></start>",
		  "bad value \"sometimes\" of attribute 'restart'", 3, 1, NS },
	} },
	{ "STARTERR_0011", "a missing binary", {
		{ SA "</start>", "missing <binary name=...> in <start name=\"a\">", 3, 1, NS },
	} },
	{ "STARTERR_0012", "a <binary> without a name or with an empty one; two <binary> nodes", {
		{ SA " <binary/></start>", "missing attribute 'name' in <binary>", 3, 36, NS },
		{ SA " <binary name=\"\"/></start>", "empty binary name", 3, 36, NS },
		{ SA BA "<binary name=\"b\"/></start>",
		  "more than one <binary> node in <start>", 3, 53, NS },
	} },
	{ "STARTERR_0013", "an unknown node in <start>, with a hint for <resource>", {
		{ SA BA "<affinity/></start>", "unknown node <affinity> in <start>", 3, 53, NS },
		{ "<start name=\"a\"><binary name=\"a\"/><resource name=\"RAM\" quantum=\"1M\"/></start>",
		  "give quota as ram=... caps=... of <start>", 3, 35, NS },
	} },
	{ "STARTERR_0014", "text in <start> and in <binary>", {
		{ SA "x</start>", "unexpected text in <start>", 3, 1, NS },
		{ SA "<binary name=\"a\">b</binary></start>",
		  "unexpected text in <binary>", 3, 35, NS },
	} },
	{ "STARTERR_0015", "<provides>: unknown node, missing name, duplicate, two <provides>", {
		{ SA BA "<provides><svc/></provides></start>",
		  "unknown node <svc> in <provides>", 3, 63, NS },
		{ SA BA "<provides><service/></provides></start>",
		  "missing attribute 'name' in <service>", 3, 63, NS },
		{ SA BA "<provides><service name=\"S\"/><service name=\"S\"/></provides></start>",
		  "service 'S' is listed twice in <provides>", 3, 82, NS },
		{ SA BA "<provides/><provides/></start>",
		  "more than one <provides> node", 3, 64, NS },
	} },
	{ "STARTERR_0016", "a child's <heartbeat>: restart_after 0, bad value, unknown attribute", {
		{ SA BA "<heartbeat restart_after=\"0\"/></start>",
		  "'restart_after' in <heartbeat> must be 1 to 1000000", 3, 53, NS },
		{ SA BA "<heartbeat restart_after=\"x\"/></start>",
		  "bad value \"x\" of attribute 'restart_after'", 3, 53, NS },
		{ SA BA "<heartbeat rate_ms=\"5\"/></start>",
		  "unknown attribute 'rate_ms' in <heartbeat>", 3, 53, NS },
	} },
	{ "STARTERR_0018", "<route>: unknown rule, rule without target, unknown target, target without name", {
		{ SA BA "<route><srv/></route></start>",
		  "unknown node <srv> in a route", 3, 60, NS },
		{ SA BA "<route><any-service/></route></start>",
		  "<any-service> without a target", 3, 60, NS },
		{ SA BA "<route><any-service><self/></any-service></route></start>",
		  "unknown route target <self>", 3, 73, NS },
		{ SA BA "<route><any-service><child/></any-service></route></start>",
		  "missing attribute 'name' in <child>", 3, 73, NS },
	} },
	{ "STARTERR_0019", "<route>: text and attributes where none belong; two <route> nodes", {
		{ SA BA "<route x=\"1\"/></start>", "unknown attribute 'x' in <route>", 3, 53, NS },
		{ SA BA "<route>r</route></start>", "unexpected text in <route>", 3, 53, NS },
		{ SA BA "<route/><route/></start>", "more than one <route> node", 3, 61, NS },
	} },
	{ "STARTERR_0020", "<route>: label and label_prefix together on a target", {
		{ SA BA "<route><any-service><parent label=\"x\" label_prefix=\"y\"/></any-service></route></start>",
		  "attribute 'label' in <parent> excludes", 3, 73, NS },
	} },
	{ "STARTERR_0023", "two embedded <config> nodes", {
		{ SA BA "<config/><config/></start>", "more than one <config> node", 3, 62, NS },
	} },
};

TEST_TABLE(STARTERR_0001, bad_starts, row)
{
	check_bad_starts(row);
}

TEST(STARTERR_0003, "a duplicate child name: the later node is ignored, the first stands")
{
	struct init_model *m = model("<config>\n<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"first\"/></start>\n"
	                             "  <start name=\"a\" ram=\"2M\" caps=\"1\"><binary name=\"second\"/></start>\n</config>");
	CHECK(!m->rejected);
	CHECK_ERROR(m, "duplicate child name \"a\" (first <start> at line 2)", 3, 3, INIT_OUTCOME_NODE_IGNORED);
	CHECK_EQ(m->n_children, 1);
	CHECK(!strcmp(m->children[0]->binary, "first"));
	release(m);
}

TEST(STARTERR_0010, "ld=\"yes\" is refused, a bad ld value too; ld=\"no\" is fine")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\" ld=\"yes\"><binary name=\"a\"/></start>",
	                  "dynamically linked binaries are not supported", 3, 1, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\" ld=\"2\"><binary name=\"a\"/></start>",
	                  "bad value \"2\" of attribute 'ld'", 3, 1, NS);
	struct init_model *m = good("<config><start name=\"a\" ram=\"1M\" caps=\"1\" ld=\"no\"><binary name=\"a\"/></start></config>");
	release(m);
}

TEST(STARTERR_0017, "a child's <heartbeat> without restart_after only monitors")
{
	struct init_model *m = good("<config><heartbeat rate_ms=\"10\"/><start name=\"a\" ram=\"1M\" caps=\"1\">"
	                            "<binary name=\"a\"/><heartbeat/></start></config>");
	CHECK(m->children[0]->heartbeat);
	CHECK_EQ(m->children[0]->heartbeat_restart_after, 0);
	release(m);
}

TEST(STARTERR_0021, "every error of one <start> node is listed")
{
	struct init_model *m = with_start("<start name=\"a\" ram=\"x\" caps=\"0\" bogus=\"1\"><provides><service/></provides></start>");
	CHECK(find_error(m, "bad value \"x\" of attribute 'ram'") != NULL);
	CHECK(find_error(m, "'caps' in <start> must not be 0") != NULL);
	CHECK(find_error(m, "unknown attribute 'bogus'") != NULL);
	CHECK(find_error(m, "missing attribute 'name' in <service>") != NULL);
	CHECK(find_error(m, "missing <binary") != NULL);
	CHECK_EQ(m->n_errors, 5);
	for (const struct init_error *e = m->errors; e; e = e->next) {
		CHECK(!strcmp(e->child, "a"));
		CHECK_EQ(e->outcome, NS);
	}
	release(m);
}

TEST(STARTERR_0022, "an embedded <config> may hold anything")
{
	struct init_model *m = good("<config><start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/>"
	                            "<config any=\"thing\"><start name=\"x\" bogus=\"1\"/><n>text</n></config></start></config>");
	CHECK(m->children[0]->config != NULL);
	release(m);
}

/* ---- conflicts between children ----------------------------------------- */

TEST(CONFLICT_0001, "a service provided by two children: both are started, both provide it")
{
	struct init_model *m = model("<config>\n"
		"<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><provides><service name=\"S\"/></provides></start>\n"
		"<start name=\"b\" ram=\"1M\" caps=\"1\"><binary name=\"b\"/>\n"
		"  <provides><service name=\"S\"/></provides></start>\n</config>");
	CHECK(!m->rejected);
	CHECK_EQ(m->n_errors, 0);
	CHECK_EQ(m->n_children, 2);
	CHECK(init_child_provides(init_model_child(m, "a"), "S"));
	CHECK(init_child_provides(init_model_child(m, "b"), "S"));
	release(m);
}

static const struct bad_configs bad_routes[] = {
	{ "CONFLICT_0002", "a route target child that does not exist", {
		{ SA BA "<route><any-service><child name=\"nobody\"/></any-service></route></start>",
		  "route target child 'nobody' does not exist", 3, 73, NS },
	} },
	{ "CONFLICT_0003", "a route target child that does not provide the named service", {
		{ SA BA "<route><service name=\"Nic\"><child name=\"ok\"/></service></route></start>",
		  "route target child 'ok' does not provide 'Nic'", 3, 80, NS },
	} },
	{ "CONFLICT_0004", "a route to the child itself", {
		{ SA BA "<route><any-service><child name=\"a\"/></any-service></route></start>",
		  "route of child 'a' targets the child itself", 3, 73, NS },
	} },
	{ "CONFLICT_0005", "<parent/> for a named service the parent does not provide", {
		{ SA BA "<route><service name=\"Nic\"><parent/></service></route></start>",
		  "route target <parent> does not provide 'Nic' (not in <parent-provides>)", 3, 80, NS },
	} },
};

TEST_TABLE(CONFLICT_0002, bad_routes, row)
{
	check_bad_starts(row);
}

TEST(CONFLICT_0006, "<any-service> may name children for services they do not provide")
{
	struct init_model *m = good("<config>"
		"<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/></start>"
		"<start name=\"b\" ram=\"1M\" caps=\"1\"><binary name=\"b\"/><route><any-service><child name=\"a\"/><parent/>"
		"</any-service></route></start></config>");
	CHECK_EQ(m->n_children, 2);
	release(m);
}

TEST(CONFLICT_0007, "a route to a child whose node is rejected rejects the client too")
{
	struct init_model *m = model("<config>\n"
		"<start name=\"srv\" caps=\"1\"><binary name=\"srv\"/><provides><service name=\"S\"/></provides></start>\n"
		"<start name=\"cli\" ram=\"1M\" caps=\"1\"><binary name=\"cli\"/>\n"
		"<route><service name=\"S\"> <child name=\"srv\"/> </service></route></start>\n"
		"<start name=\"other\" ram=\"1M\" caps=\"1\"><binary name=\"other\"/></start>\n</config>");
	CHECK(!m->rejected);
	CHECK_ERROR(m, "missing attribute 'ram'", 2, 1, NS);
	CHECK_ERROR(m, "route target child 'srv' is not started", 4, 27, NS);
	CHECK_EQ(m->n_children, 1);
	CHECK(init_model_child(m, "other") != NULL);
	release(m);
}

TEST(CONFLICT_0008, "RAM beyond the budget: children fit in document order, the rest are rejected")
{
	struct init_budget budget = { 3 << 20, 1000 };
	struct init_model *m = model_b("<config>\n"
		"<start name=\"a\" ram=\"2M\" caps=\"1\"><binary name=\"a\"/></start>\n"
		"<start name=\"b\" ram=\"2M\" caps=\"1\"><binary name=\"b\"/></start>\n"
		"<start name=\"c\" ram=\"1M\" caps=\"1\"><binary name=\"c\"/></start>\n</config>", NULL, budget);
	CHECK(!m->rejected);
	CHECK_ERROR(m, "RAM quota of child 'b' (2097152 bytes) exceeds what init has left (1048576 of 3145728 bytes)",
	            3, 1, NS);
	CHECK_EQ(m->n_children, 2);
	CHECK(init_model_child(m, "a") && init_model_child(m, "c"));
	CHECK_EQ(m->ram_assigned, 3 << 20);
	release(m);
}

TEST(CONFLICT_0009, "caps beyond the budget")
{
	struct init_budget budget = { 1ull << 30, 150 };
	struct init_model *m = model_b("<config>\n"
		"<start name=\"a\" ram=\"1M\" caps=\"100\"><binary name=\"a\"/></start>\n"
		"<start name=\"b\" ram=\"1M\" caps=\"100\"><binary name=\"b\"/></start>\n</config>", NULL, budget);
	CHECK_ERROR(m, "cap quota of child 'b' (100) exceeds what init has left (50 of 150)", 3, 1, NS);
	CHECK_EQ(m->n_children, 1);
	CHECK_EQ(m->caps_assigned, 100);
	release(m);
}

TEST(CONFLICT_0010, "quota sums that would overflow 64 bits are caught")
{
	struct init_budget budget = { UINT64_MAX, UINT64_MAX };
	struct init_model *m = model_b("<config>\n"
		"<start name=\"a\" ram=\"0xffffffffffffff00\" caps=\"1\"><binary name=\"a\"/></start>\n"
		"<start name=\"b\" ram=\"0x200\" caps=\"1\"><binary name=\"b\"/></start>\n</config>", NULL, budget);
	CHECK_ERROR(m, "RAM quota of child 'b'", 3, 1, NS);
	CHECK_EQ(m->n_children, 1);
	release(m);
}

TEST(CONFLICT_0011, "a child rejected for quota frees the route target names of nobody else")
{
	/* 'b' is rejected for quota; 'c' routes to 'b' and is rejected as a consequence */
	struct init_budget budget = { 2 << 20, 1000 };
	struct init_model *m = model_b("<config>\n"
		"<start name=\"a\" ram=\"2M\" caps=\"1\"><binary name=\"a\"/></start>\n"
		"<start name=\"b\" ram=\"1M\" caps=\"1\"><binary name=\"b\"/><provides><service name=\"S\"/></provides></start>\n"
		"<start name=\"c\" ram=\"4K\" caps=\"1\"><binary name=\"c\"/><route><service name=\"S\"><child name=\"b\"/></service>"
		"</route></start>\n</config>", NULL, budget);
	CHECK_ERROR(m, "RAM quota of child 'b'", 3, 1, NS);
	CHECK_ERROR(m, "route target child 'b' is not started", 4, 78, NS);
	CHECK_EQ(m->n_children, 1);
	release(m);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
