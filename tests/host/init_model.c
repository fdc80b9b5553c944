// sources: base/src/config_parse.c base/src/config_query.c base/src/config_write.c os/init/model.c os/init/check.c os/init/parse.c os/init/start.c os/init/settle.c os/init/text.c os/init/route.c os/init/diff.c os/init/report.c os/init/policy.c
// cflags: -Ios/init -DINIT_CHUNK_MIN=16
/*
 * Host tests of init's config model (os/init/model.c): what a valid config
 * becomes and the errors that reject the whole config, each with its line,
 * column and consequence. Errors of one <start> node and conflicts between
 * children: init_start.c; previous settings and running out of memory:
 * init_keep.c.
 *
 * Areas: MODEL (valid configs), TOPERR (errors that reject the config).
 */
#include "init_common.h"

/* ---- valid configs ------------------------------------------------------ */

TEST(MODEL_0001, "an empty <config/> is valid and has no children")
{
	struct init_model *m = good("<config/>");
	CHECK_EQ(m->n_children, 0);
	CHECK(!strcmp(m->version, ""));
	CHECK_EQ(m->prio_levels, 1);
	CHECK(!m->has_default_route);
	CHECK(!m->report.enabled);
	CHECK_EQ(m->heartbeat_rate_ms, 0);
	release(m);
	CHECK_EQ(th_heap.outstanding, 0);
}

TEST(MODEL_0002, "top-level settings of a full config")
{
	struct init_model *m = good(full_config);
	CHECK(!strcmp(m->version, "7"));
	CHECK_EQ(m->prio_levels, 4);
	CHECK(m->verbose);
	CHECK_EQ(m->n_parent_provides, 4);
	CHECK(!strcmp(m->parent_provides[0], "ROM"));
	CHECK(!strcmp(m->parent_provides[3], "CPU"));
	CHECK_EQ(m->default_caps, 50);
	CHECK_EQ(m->default_ram, 65536);
	CHECK(m->has_default_route);
	CHECK_EQ(m->default_route.n_rules, 1);
	CHECK(m->default_route.rules[0].service == NULL);
	CHECK_EQ(m->default_route.rules[0].n_targets, 2);
	CHECK_EQ(m->default_route.rules[0].targets[0].kind, INIT_TARGET_PARENT);
	CHECK_EQ(m->default_route.rules[0].targets[1].kind, INIT_TARGET_ANY_CHILD);
	CHECK_EQ(m->heartbeat_rate_ms, 500);
	release(m);
}

TEST(MODEL_0003, "<report> flags and their defaults")
{
	struct init_model *m = good(full_config);
	CHECK(m->report.enabled);
	CHECK(m->report.requested && m->report.provided && m->report.child_ram);
	CHECK(!m->report.child_caps && m->report.init_ram && !m->report.init_caps);
	CHECK(m->report.errors);
	CHECK_EQ(m->report.delay_ms, 250);
	release(m);
	m = good("<config><report/></config>");
	CHECK(m->report.enabled && !m->report.requested && !m->report.child_ram && m->report.errors);
	CHECK_EQ(m->report.delay_ms, 100);
	CHECK(!m->report.log);
	release(m);
	m = good("<config><report log=\"yes\"/></config>");
	CHECK(m->report.log);
	release(m);
}

TEST(MODEL_0004, "a child's attributes, binary, provides and heartbeat")
{
	struct init_model *m = good(full_config);
	CHECK_EQ(m->n_children, 2);
	const struct init_child *t = m->children[0];
	CHECK(!strcmp(t->name, "timer"));
	CHECK(!strcmp(t->binary, "timer_drv"));
	CHECK_EQ(t->binary_line, 15);   /* the <binary> node's position, for errors loading it */
	CHECK_EQ(t->binary_col, 5);
	CHECK(!strcmp(t->version, "2"));
	CHECK_EQ(t->ram, 1 << 20);
	CHECK_EQ(t->caps, 100);
	CHECK_EQ(t->priority, -1);
	CHECK_EQ(t->restart, INIT_RESTART_NEVER);
	CHECK_EQ(t->n_provides, 1);
	CHECK(!strcmp(t->provides[0].name, "Timer"));
	CHECK_EQ(t->provides[0].line, 16);
	CHECK(t->heartbeat);
	CHECK_EQ(t->heartbeat_restart_after, 3);
	CHECK(!t->has_route);
	CHECK(t->config == NULL);
	CHECK_EQ(t->line, 14);
	CHECK_EQ(t->col, 3);
	CHECK_EQ(t->index, 0);
	CHECK(!t->carried);
	release(m);
}

TEST(MODEL_0005, "defaults fill in ram and caps; version and priority default")
{
	struct init_model *m = good(full_config);
	const struct init_child *a = m->children[1];
	CHECK(!strcmp(a->name, "app"));
	CHECK_EQ(a->ram, 65536);
	CHECK_EQ(a->caps, 50);
	CHECK(!strcmp(a->version, ""));
	CHECK_EQ(a->priority, 0);
	CHECK_EQ(a->restart, INIT_RESTART_ON_FAULT);
	CHECK(!a->heartbeat);
	CHECK_EQ(a->index, 1);
	CHECK_EQ(m->ram_assigned, (1 << 20) + 65536);
	CHECK_EQ(m->caps_assigned, 150);
	release(m);
}

TEST(MODEL_0006, "the embedded <config> is kept as canonical text")
{
	struct init_model *m = good(full_config);
	const struct init_child *a = m->children[1];
	const char *want = "<config verbose=\"no\">\n  <arg value=\"1\"/>\n</config>\n";
	CHECK(a->config != NULL);
	CHECK_MSG(!strcmp(a->config, want), "got [%s]", a->config);
	CHECK_EQ(a->config_len, strlen(want));
	release(m);
}

TEST(MODEL_0007, "route rules keep services, label conditions and targets in order")
{
	struct init_model *m = good(full_config);
	const struct init_child *a = m->children[1];
	CHECK(a->has_route);
	CHECK_EQ(a->route.n_rules, 3);
	const struct init_rule *r0 = &a->route.rules[0], *r1 = &a->route.rules[1], *r2 = &a->route.rules[2];
	CHECK(!strcmp(r0->service, "Timer"));
	CHECK(!strcmp(r0->match.label_prefix, "t"));
	CHECK(r0->match.label == NULL && r0->match.label_suffix == NULL && r0->match.label_last == NULL);
	CHECK_EQ(r0->targets[0].kind, INIT_TARGET_CHILD);
	CHECK(!strcmp(r0->targets[0].child, "timer"));
	CHECK(!strcmp(r0->targets[0].label, "app-timer"));
	CHECK(!strcmp(r1->match.label_last, "data"));
	CHECK_EQ(r1->targets[0].kind, INIT_TARGET_PARENT);
	CHECK(!strcmp(r1->targets[0].label_prefix, "box"));
	CHECK(!strcmp(r1->targets[0].label_last, "file"));
	CHECK(r2->service == NULL);
	CHECK_EQ(r2->line, 25);
	CHECK_EQ(r2->col, 7);
	release(m);
}

TEST(MODEL_0008, "init's own services: policies in order, the default policy last")
{
	struct init_model *m = good(full_config);
	CHECK_EQ(m->n_services, 1);
	const struct init_service *s = init_model_service(m, "Timer");
	CHECK(s != NULL);
	CHECK_EQ(s->n_policies, 2);
	CHECK(!s->policies[0].is_default);
	CHECK(!strcmp(s->policies[0].match.label_suffix, "x"));
	CHECK(!strcmp(s->policies[0].target.child, "timer"));
	CHECK(!strcmp(s->policies[0].target.label, "outer"));
	CHECK(s->policies[1].is_default);
	CHECK(s->policies[1].target.label == NULL);
	CHECK(init_model_service(m, "LOG") == NULL);
	release(m);
}

TEST(MODEL_0009, "lookups: child by name, provider, parent-provides")
{
	struct init_model *m = good(full_config);
	CHECK(init_model_child(m, "app") == m->children[1]);
	CHECK(init_model_child(m, "nope") == NULL);
	CHECK(init_model_provider(m, "Timer") == m->children[0]);
	CHECK(init_model_provider(m, "LOG") == NULL);
	CHECK(init_model_parent_provides(m, "LOG"));
	CHECK(!init_model_parent_provides(m, "Timer"));
	CHECK(init_child_provides(m->children[0], "Timer"));
	CHECK(!init_child_provides(m->children[1], "Timer"));
	release(m);
}

TEST(MODEL_0010, "all restart policies")
{
	static const char *const vals[] = { "never", "on_exit", "on_fault", "always" };
	for (unsigned i = 0; i < 4; i++) {
		char cfg[256];
		snprintf(cfg, sizeof(cfg),
		         "<config><start name=\"a\" ram=\"1M\" caps=\"10\" restart=\"%s\"><binary name=\"a\"/></start></config>",
		         vals[i]);
		struct init_model *m = good(cfg);
		CHECK_EQ(m->children[0]->restart, i);
		release(m);
	}
}

TEST(MODEL_0011, "sizes: plain bytes, K, M, G and hex")
{
	struct init_model *m = good("<config>"
		"<start name=\"a\" ram=\"4096\" caps=\"1\"><binary name=\"a\"/></start>"
		"<start name=\"b\" ram=\"64K\" caps=\"0x10\"><binary name=\"b\"/></start>"
		"<start name=\"c\" ram=\"2G\" caps=\"1\"><binary name=\"c\"/></start>"
		"</config>");
	CHECK_EQ(m->children[0]->ram, 4096);
	CHECK_EQ(m->children[1]->ram, 65536);
	CHECK_EQ(m->children[1]->caps, 16);
	CHECK_EQ(m->children[2]->ram, 2ull << 30);
	release(m);
}

TEST(MODEL_0012, "the model keeps no pointer into the config text")
{
	const char *src = "<config><parent-provides><service name=\"S\"/></parent-provides>"
		"<start name=\"a\" ram=\"1M\" caps=\"10\" version=\"v1\">"
		"<binary name=\"bin\"/><config><x/></config><provides><service name=\"S\"/></provides>"
		"<route><service name=\"S\" label=\"l\"><parent label=\"p\"/></service></route></start></config>";
	size_t len = strlen(src);
	char *text = malloc(len);
	memcpy(text, src, len);
	struct init_model *m = test_alloc(8, sizeof(*m));
	CHECK_EQ(init_model_build_text(m, text, len, NULL, BIG, &th_mem), INIT_OK);
	memset(text, 'Z', len);
	free(text);
	const struct init_child *c = m->children[0];
	CHECK(!strcmp(c->name, "a") && !strcmp(c->binary, "bin") && !strcmp(c->version, "v1"));
	CHECK(!strcmp(c->config, "<config>\n  <x/>\n</config>\n"));
	CHECK(!strcmp(c->route.rules[0].match.label, "l"));
	CHECK(!strcmp(c->route.rules[0].targets[0].label, "p"));
	CHECK(!strcmp(c->provides[0].name, "S"));
	release(m);
	CHECK_EQ(th_heap.outstanding, 0);
}

TEST(MODEL_0013, "children stay in document order with <service> nodes in between")
{
	struct init_model *m = good("<config>"
		"<start name=\"z\" ram=\"1M\" caps=\"1\"><binary name=\"z\"/><provides><service name=\"S\"/></provides></start>"
		"<service name=\"S\"><default-policy><child name=\"z\"/></default-policy></service>"
		"<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/></start>"
		"<start name=\"m\" ram=\"1M\" caps=\"1\"><binary name=\"m\"/></start>"
		"</config>");
	CHECK_EQ(m->n_children, 3);
	CHECK(!strcmp(m->children[0]->name, "z"));
	CHECK(!strcmp(m->children[1]->name, "a"));
	CHECK(!strcmp(m->children[2]->name, "m"));
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(m->children[i]->index, i);
	release(m);
}

TEST(MODEL_0014, "comments and whitespace-only content are accepted everywhere")
{
	struct init_model *m = good("<config>\n  <!-- c -->\n"
		"  <parent-provides> <!-- x --> <service name=\"LOG\"> </service> </parent-provides>\n"
		"  <start name=\"a\" ram=\"1M\" caps=\"1\">  <binary name=\"a\">\n</binary> </start>\n</config>\n");
	CHECK_EQ(m->n_children, 1);
	CHECK_EQ(m->n_parent_provides, 1);
	release(m);
}

TEST(MODEL_0015, "priorities map to bands of init's own band, priority 0 at init's own top")
{
	unsigned f;
	struct init_model *m = good("<config prio_levels=\"4\">"
		"<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/></start>"
		"<start name=\"b\" ram=\"1M\" caps=\"1\" priority=\"-1\"><binary name=\"b\"/></start>"
		"<start name=\"c\" ram=\"1M\" caps=\"1\" priority=\"-3\"><binary name=\"c\"/></start>"
		"</config>");
	CHECK_EQ(init_child_priority(m, m->children[0], 127, 0, &f), 127);
	CHECK_EQ(f, 96);
	CHECK_EQ(init_child_priority(m, m->children[1], 127, 0, &f), 95);
	CHECK_EQ(f, 64);
	CHECK_EQ(init_child_priority(m, m->children[2], 127, 0, &f), 31);
	CHECK_EQ(f, 0);
	/* a nested band [96, 127]: steps of 8 */
	CHECK_EQ(init_child_priority(m, m->children[1], 127, 96, &f), 119);
	CHECK_EQ(f, 112);
	/* a band narrower than prio_levels: steps of 1, never below the floor */
	CHECK_EQ(init_child_priority(m, m->children[1], 2, 1, &f), 1);
	CHECK_EQ(f, 1);
	CHECK_EQ(init_child_priority(m, m->children[2], 2, 1, &f), 1);
	CHECK_EQ(init_child_priority(m, m->children[0], 2, 2, &f), 2);
	CHECK_EQ(f, 2);
	release(m);
}

TEST(MODEL_0016, "init_error_format gives origin, position, message and consequence")
{
	struct init_model *m = model("<config>\n  <bogus/>\n</config>");
	char buf[256];
	size_t n = init_error_format(m->errors, "config", buf, sizeof(buf));
	CHECK_MSG(!strcmp(buf, "config 'config' line 2 col 3: unknown node <bogus> in <config> (the new config is ignored)"),
	          "got [%.200s]", buf);
	CHECK_EQ(n, strlen(buf));
	char small[8];
	CHECK_EQ(init_error_format(m->errors, "config", small, sizeof(small)), n);
	CHECK(!strcmp(small, "config "));
	release(m);
}

/* ---- errors that reject the whole config -------------------------------- */

/* The config is rejected, with the error at line:col. */
#define CHECK_REJECTED(text, what, ln, cl)                                        \
	do {                                                                      \
		struct init_model *m_ = model(text);                              \
		CHECK(m_->rejected);                                              \
		CHECK_ERROR(m_, what, ln, cl, INIT_OUTCOME_CONFIG_IGNORED);       \
		CHECK_EQ(find_error(m_, what)->scope, INIT_ERR_CONFIG);           \
		release(m_);                                                      \
	} while (0)

TEST(TOPERR_0001, "a syntax error gives the parser's line and column")
{
	/* the parser points at the first byte that differs from "start" */
	CHECK_REJECTED("<config>\n  <start name=\"a\">\n  </stort>\n</config>", "syntax error", 3, 7);
}

TEST(TOPERR_0002, "empty input is a syntax error")
{
	struct init_model *m = model("");
	CHECK(m->rejected);
	CHECK(find_error(m, "syntax error") != NULL);
	CHECK_EQ(m->n_errors, 1);
	release(m);
}

#define CI INIT_OUTCOME_CONFIG_IGNORED

/* The config is rejected for c->what (an error of the whole config). */
static void check_rejected(const char *text, const struct bad_config *c)
{
	struct init_model *m = model(text);
	CHECK(m->rejected);
	CHECK_ERROR(m, c->what, c->line, c->col, c->outcome);
	CHECK_EQ(find_error(m, c->what)->scope, INIT_ERR_CONFIG);
	release(m);
}

static const struct bad_configs rejected_configs[] = {
	{ "TOPERR_0003", "a top-level node other than <config>", {
		{ "\n\n  <init/>", "the top-level node is <init>, not <config>", 3, 3, CI },
	} },
	{ "TOPERR_0004", "an unknown top-level node", {
		{ "<config>\n  <defualt-route/>\n</config>",
		  "unknown node <defualt-route> in <config>", 2, 3, CI },
	} },
	{ "TOPERR_0005", "an unknown attribute of <config>", {
		{ "<config verison=\"1\"/>", "unknown attribute 'verison' in <config>", 1, 1, CI },
	} },
	{ "TOPERR_0007", "verbose must be a boolean", {
		{ "<config verbose=\"maybe\"/>",
		  "bad value \"maybe\" of attribute 'verbose' in <config>", 1, 1, CI },
	} },
	{ "TOPERR_0008", "text directly in <config>", {
		{ "<config>hello</config>", "unexpected text in <config>", 1, 1, CI },
	} },
	{ "TOPERR_0009", "a second <parent-provides> (and <default-route>, <default>, <report>, <heartbeat>)", {
		{ "<config>\n<parent-provides/>\n<parent-provides/>\n</config>",
		  "more than one <parent-provides> node (the first is at line 2)", 3, 1, CI },
		{ "<config>\n<default-route/>\n <default-route/>\n</config>",
		  "more than one <default-route>", 3, 2, CI },
		{ "<config>\n<default/>\n<default/>\n</config>", "more than one <default>", 3, 1, CI },
		{ "<config>\n<report/>\n<report/>\n</config>", "more than one <report>", 3, 1, CI },
		{ "<config>\n<heartbeat rate_ms=\"1\"/>\n<heartbeat rate_ms=\"1\"/>\n</config>",
		  "more than one <heartbeat>", 3, 1, CI },
	} },
	{ "TOPERR_0010", "<parent-provides>: unknown node, missing name, duplicate", {
		{ "<config>\n<parent-provides>\n  <servce name=\"LOG\"/>\n</parent-provides>\n</config>",
		  "unknown node <servce> in <parent-provides>", 3, 3, CI },
		{ "<config>\n<parent-provides>\n  <service/>\n</parent-provides>\n</config>",
		  "missing attribute 'name' in <service>", 3, 3, CI },
		{ "<config>\n<parent-provides>\n<service name=\"LOG\"/>\n  <service name=\"LOG\"/>\n" "</parent-provides>\n</config>",
		  "service 'LOG' is listed twice in <parent-provides>", 4, 3, CI },
	} },
	{ "TOPERR_0011", "<parent-provides>: an empty service name and a name with \" -> \"", {
		{ "<config><parent-provides><service name=\"\"/></parent-provides></config>",
		  "bad name \"\" in <service>", 1, 26, CI },
		{ "<config><parent-provides><service name=\"a -> b\"/></parent-provides></config>",
		  "bad name \"a -> b\" in <service>", 1, 26, CI },
	} },
	{ "TOPERR_0012", "<default>: unknown attribute, bad ram, bad caps", {
		{ "<config>\n <default ram=\"1M\" cpu=\"1\"/>\n</config>",
		  "unknown attribute 'cpu' in <default>", 2, 2, CI },
		{ "<config>\n <default ram=\"1Q\"/>\n</config>",
		  "bad value \"1Q\" of attribute 'ram' in <default>", 2, 2, CI },
		{ "<config>\n <default caps=\"-1\"/>\n</config>",
		  "bad value \"-1\" of attribute 'caps' in <default>", 2, 2, CI },
	} },
	{ "TOPERR_0013", "<report>: unknown attribute and bad boolean", {
		{ "<config>\n <report state=\"yes\"/>\n</config>",
		  "unknown attribute 'state' in <report>", 2, 2, CI },
		{ "<config>\n <report child_ram=\"ja\"/>\n</config>",
		  "bad value \"ja\" of attribute 'child_ram'", 2, 2, CI },
		{ "<config>\n <report delay_ms=\"soon\"/>\n</config>",
		  "attribute 'delay_ms'", 2, 2, CI },
		{ "<config>\n <report log=\"always\"/>\n</config>",
		  "bad value \"always\" of attribute 'log'", 2, 2, CI },
	} },
	{ "TOPERR_0014", "<heartbeat>: missing, zero or bad rate_ms", {
		{ "<config>\n <heartbeat/>\n</config>",
		  "missing attribute 'rate_ms' in <heartbeat>", 2, 2, CI },
		{ "<config>\n <heartbeat rate_ms=\"0\"/>\n</config>", "must not be 0", 2, 2, CI },
		{ "<config>\n <heartbeat rate_ms=\"1s\"/>\n</config>",
		  "bad value \"1s\" of attribute 'rate_ms'", 2, 2, CI },
	} },
	{ "TOPERR_0015", "a sub-node or text in a leaf node", {
		{ "<config>\n <default ram=\"1M\">\n   <x/>\n </default>\n</config>",
		  "unexpected node <x> in <default>", 3, 4, CI },
		{ "<config>\n <report>yes</report>\n</config>",
		  "unexpected text in <report>", 2, 2, CI },
	} },
	{ "TOPERR_0016", "<default-route>: unknown rule node", {
		{ "<config>\n<default-route>\n  <any-servce><parent/></any-servce>\n</default-route>\n</config>",
		  "unknown node <any-servce> in a route", 3, 3, CI },
	} },
	{ "TOPERR_0017", "<default-route>: a rule without a target", {
		{ "<config>\n<default-route>\n  <any-service/>\n</default-route>\n</config>",
		  "<any-service> without a target", 3, 3, CI },
	} },
	{ "TOPERR_0018", "<default-route>: an unknown target", {
		{ "<config>\n<default-route>\n  <any-service>\n    <parnet/>\n  </any-service>\n</default-route>\n</config>",
		  "unknown route target <parnet>", 4, 5, CI },
	} },
	{ "TOPERR_0019", "<default-route>: a <child> target without a name", {
		{ "<config>\n<default-route>\n  <any-service> <child/> </any-service>\n</default-route>\n</config>",
		  "missing attribute 'name' in <child>", 3, 17, CI },
	} },
	{ "TOPERR_0020", "<default-route>: label excludes label_prefix and label_last on a target", {
		{ "<config>\n<default-route>\n  <any-service> <parent label=\"a\" label_last=\"b\"/> </any-service>\n" "</default-route>\n</config>",
		  "attribute 'label' in <parent> excludes", 3, 17, CI },
	} },
	{ "TOPERR_0021", "<default-route>: unknown attributes of rules and targets", {
		{ "<config>\n<default-route>\n  <service name=\"LOG\" lable=\"x\"><parent/></service>\n" "</default-route>\n</config>",
		  "unknown attribute 'lable' in <service>", 3, 3, CI },
		{ "<config>\n<default-route>\n  <any-service label=\"x\"><parent/></any-service>\n" "</default-route>\n</config>",
		  "unknown attribute 'label' in <any-service>", 3, 3, CI },
		{ "<config>\n<default-route>\n  <any-service><any-child name=\"x\"/></any-service>\n" "</default-route>\n</config>",
		  "unknown attribute 'name' in <any-child>", 3, 16, CI },
	} },
	{ "TOPERR_0022", "<default-route>: a <service> rule without a name", {
		{ "<config>\n<default-route>\n  <service label=\"x\"><parent/></service>\n" "</default-route>\n</config>",
		  "missing attribute 'name' in <service>", 3, 3, CI },
	} },
	{ "TOPERR_0023", "<default-route>: a target child that does not exist", {
		{ "<config>\n<default-route>\n  <any-service>\n    <child name=\"ghost\"/>\n  </any-service>\n" "</default-route>\n</config>",
		  "route target child 'ghost' does not exist", 4, 5, CI },
	} },
	{ "TOPERR_0024", "<default-route>: a target child that does not provide the service", {
		{ "<config>\n<default-route>\n  <service name=\"Nic\">\n    <child name=\"a\"/>\n  </service>\n" "</default-route>\n<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/></start>\n</config>",
		  "route target child 'a' does not provide 'Nic'", 4, 5, CI },
	} },
	{ "TOPERR_0025", "<default-route>: <parent/> for a service the parent does not provide", {
		{ "<config>\n" PARENT_PROVIDES "\n<default-route>\n  <service name=\"Nic\"> <parent/> </service>\n" "</default-route>\n</config>",
		  "route target <parent> does not provide 'Nic' (not in <parent-provides>)", 4, 24, CI },
	} },
};

TEST_TABLE(TOPERR_0003, rejected_configs, row)
{
	for (const struct bad_config *c = row->c; c < row->c + 6 && c->text; c++)
		check_rejected(c->text, c);
}

TEST(TOPERR_0006, "prio_levels must be a power of two from 1 to 256")
{
	CHECK_REJECTED("<config prio_levels=\"3\"/>", "attribute 'prio_levels'", 1, 1);
	CHECK_REJECTED("<config prio_levels=\"0\"/>", "attribute 'prio_levels'", 1, 1);
	CHECK_REJECTED("<config prio_levels=\"512\"/>", "attribute 'prio_levels'", 1, 1);
	CHECK_REJECTED("<config prio_levels=\"four\"/>", "bad value \"four\" of attribute 'prio_levels'", 1, 1);
	struct init_model *m = good("<config prio_levels=\"256\"/>");
	CHECK_EQ(m->prio_levels, 256);
	release(m);
}

TEST(TOPERR_0033, "reserve_ram is a size of at least 64K; absent it is 0")
{
	CHECK_REJECTED("<config reserve_ram=\"32K\"/>",
		       "bad value \"32K\" of attribute 'reserve_ram' in <config> (expected at least 64K)", 1, 1);
	CHECK_REJECTED("<config reserve_ram=\"lots\"/>", "bad value \"lots\" of attribute 'reserve_ram'", 1, 1);
	struct init_model *m = good("<config reserve_ram=\"128K\"/>");
	CHECK_EQ(m->reserve_ram, 128 * 1024);
	release(m);
	m = good("<config/>");
	CHECK_EQ(m->reserve_ram, 0);
	release(m);
}

TEST(TOPERR_0026, "<default-route>: a target child whose <start> node is rejected")
{
	struct init_model *m = model("<config>\n<default-route>\n  <any-service> <child name=\"a\"/> </any-service>\n"
	                             "</default-route>\n<start name=\"a\" caps=\"1\"><binary name=\"a\"/></start>\n</config>");
	CHECK(m->rejected);
	CHECK_ERROR(m, "route target child 'a' is not started", 3, 17, INIT_OUTCOME_CONFIG_IGNORED);
	CHECK_ERROR(m, "missing attribute 'ram'", 5, 1, INIT_OUTCOME_CONFIG_IGNORED);
	release(m);
}

static const char svc_head[] =
	"<config>\n"
	"<start name=\"s\" ram=\"1M\" caps=\"1\"><binary name=\"s\"/><provides><service name=\"S\"/></provides></start>\n"
	"<start name=\"q\" ram=\"1M\" caps=\"1\"><binary name=\"q\"/></start>\n";

static void check_service_error(const struct bad_config *c)
{
	char cfg[1024];
	snprintf(cfg, sizeof(cfg), "%s%s</config>", svc_head, c->text);
	check_rejected(cfg, c);
}

/* init's <service> nodes after svc_head */
static const struct bad_configs service_configs[] = {
	{ "TOPERR_0027", "init's <service>: without any policy", {
		{ "<service name=\"S\"/>\n",
		  "<service name=\"S\"> without a <policy> or <default-policy>", 4, 1, CI },
	} },
	{ "TOPERR_0028", "init's <service>: a policy target child that does not exist or does not provide it", {
		{ "<service name=\"S\">\n  <default-policy> <child name=\"x\"/> </default-policy>\n</service>\n",
		  "policy target child 'x' does not exist", 5, 20, CI },
		{ "<service name=\"S\">\n  <policy label=\"a\"> <child name=\"q\"/> </policy>\n</service>\n",
		  "policy target child 'q' does not provide 'S'", 5, 22, CI },
	} },
	{ "TOPERR_0029", "init's <service>: declared twice, or unknown node inside", {
		{ "<service name=\"S\"><default-policy><child name=\"s\"/></default-policy></service>\n" "<service name=\"S\"><default-policy><child name=\"s\"/></default-policy></service>\n",
		  "init's service 'S' is declared twice", 5, 1, CI },
		{ "<service name=\"S\">\n <polcy/>\n</service>\n",
		  "unknown node <polcy> in <service>", 5, 2, CI },
	} },
	{ "TOPERR_0030", "init's <service>: two default policies, two targets, a non-child target", {
		{ "<service name=\"S\">\n<default-policy><child name=\"s\"/></default-policy>\n" "<default-policy><child name=\"s\"/></default-policy>\n</service>\n",
		  "more than one <default-policy>", 6, 1, CI },
		{ "<service name=\"S\">\n<policy><child name=\"s\"/><child name=\"s\"/></policy>\n</service>\n",
		  "<policy> needs exactly one target", 5, 1, CI },
		{ "<service name=\"S\">\n<policy><parent/></policy>\n</service>\n",
		  "<policy> needs exactly one target", 5, 1, CI },
	} },
	{ "TOPERR_0031", "init's <service>: policy attributes are checked", {
		{ "<service name=\"S\">\n<policy lable=\"x\"><child name=\"s\"/></policy>\n</service>\n",
		  "unknown attribute 'lable' in <policy>", 5, 1, CI },
		{ "<service name=\"S\">\n<default-policy label=\"x\"><child name=\"s\"/></default-policy>\n</service>\n",
		  "unknown attribute 'label' in <default-policy>", 5, 1, CI },
		{ "<service name=\"S\">\n<policy><child name=\"s\" label_last=\"x\"/></policy>\n</service>\n",
		  "unknown attribute 'label_last' in <child>", 5, 9, CI },
	} },
};

TEST_TABLE(TOPERR_0027, service_configs, row)
{
	for (const struct bad_config *c = row->c; c < row->c + 6 && c->text; c++)
		check_service_error(c);
}

TEST(TOPERR_0032, "a rejected config still lists its child errors and its children")
{
	struct init_model *m = model("<config>\n<bogus/>\n<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/></start>\n"
	                             "<start name=\"b\" caps=\"1\"><binary name=\"b\"/></start>\n</config>");
	CHECK(m->rejected);
	CHECK_EQ(m->n_errors, 2);
	CHECK_ERROR(m, "missing attribute 'ram'", 4, 1, INIT_OUTCOME_CONFIG_IGNORED);
	CHECK_EQ(find_error(m, "missing attribute 'ram'")->scope, INIT_ERR_CHILD);
	CHECK_EQ(m->n_children, 1);
	release(m);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
