// sources: base/src/config_parse.c base/src/config_query.c base/src/config_write.c os/init/model.c os/init/check.c os/init/parse.c os/init/start.c os/init/settle.c os/init/text.c os/init/route.c os/init/diff.c os/init/report.c os/init/policy.c
// cflags: -Ios/init -DINIT_CHUNK_MIN=16
/*
 * Host tests of init's config model (os/init/model.c): what a valid config
 * becomes, every config error with its line, column and consequence, the
 * rules on which errors reject the whole config and which only one child,
 * settings kept from the model in effect, and running out of memory.
 *
 * Areas: MODEL (valid configs), TOPERR (errors that reject the config),
 * STARTERR (errors that reject one <start> node), CONFLICT (conflicts
 * between children), KEEP (previous settings), MEM (allocation failures).
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

static const char full_config[] =
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

TEST(TOPERR_0003, "a top-level node other than <config>")
{
	CHECK_REJECTED("\n\n  <init/>", "the top-level node is <init>, not <config>", 3, 3);
}

TEST(TOPERR_0004, "an unknown top-level node")
{
	CHECK_REJECTED("<config>\n  <defualt-route/>\n</config>", "unknown node <defualt-route> in <config>", 2, 3);
}

TEST(TOPERR_0005, "an unknown attribute of <config>")
{
	CHECK_REJECTED("<config verison=\"1\"/>", "unknown attribute 'verison' in <config>", 1, 1);
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

TEST(TOPERR_0007, "verbose must be a boolean")
{
	CHECK_REJECTED("<config verbose=\"maybe\"/>", "bad value \"maybe\" of attribute 'verbose' in <config>", 1, 1);
}

TEST(TOPERR_0008, "text directly in <config>")
{
	CHECK_REJECTED("<config>hello</config>", "unexpected text in <config>", 1, 1);
}

TEST(TOPERR_0009, "a second <parent-provides> (and <default-route>, <default>, <report>, <heartbeat>)")
{
	CHECK_REJECTED("<config>\n<parent-provides/>\n<parent-provides/>\n</config>",
	               "more than one <parent-provides> node (the first is at line 2)", 3, 1);
	CHECK_REJECTED("<config>\n<default-route/>\n <default-route/>\n</config>", "more than one <default-route>", 3, 2);
	CHECK_REJECTED("<config>\n<default/>\n<default/>\n</config>", "more than one <default>", 3, 1);
	CHECK_REJECTED("<config>\n<report/>\n<report/>\n</config>", "more than one <report>", 3, 1);
	CHECK_REJECTED("<config>\n<heartbeat rate_ms=\"1\"/>\n<heartbeat rate_ms=\"1\"/>\n</config>",
	               "more than one <heartbeat>", 3, 1);
}

TEST(TOPERR_0010, "<parent-provides>: unknown node, missing name, duplicate")
{
	CHECK_REJECTED("<config>\n<parent-provides>\n  <servce name=\"LOG\"/>\n</parent-provides>\n</config>",
	               "unknown node <servce> in <parent-provides>", 3, 3);
	CHECK_REJECTED("<config>\n<parent-provides>\n  <service/>\n</parent-provides>\n</config>",
	               "missing attribute 'name' in <service>", 3, 3);
	CHECK_REJECTED("<config>\n<parent-provides>\n<service name=\"LOG\"/>\n  <service name=\"LOG\"/>\n"
	               "</parent-provides>\n</config>", "service 'LOG' is listed twice in <parent-provides>", 4, 3);
}

TEST(TOPERR_0011, "<parent-provides>: an empty service name and a name with \" -> \"")
{
	CHECK_REJECTED("<config><parent-provides><service name=\"\"/></parent-provides></config>",
	               "bad name \"\" in <service>", 1, 26);
	CHECK_REJECTED("<config><parent-provides><service name=\"a -> b\"/></parent-provides></config>",
	               "bad name \"a -> b\" in <service>", 1, 26);
}

TEST(TOPERR_0012, "<default>: unknown attribute, bad ram, bad caps")
{
	CHECK_REJECTED("<config>\n <default ram=\"1M\" cpu=\"1\"/>\n</config>", "unknown attribute 'cpu' in <default>", 2, 2);
	CHECK_REJECTED("<config>\n <default ram=\"1Q\"/>\n</config>", "bad value \"1Q\" of attribute 'ram' in <default>", 2, 2);
	CHECK_REJECTED("<config>\n <default caps=\"-1\"/>\n</config>", "bad value \"-1\" of attribute 'caps' in <default>", 2, 2);
}

TEST(TOPERR_0013, "<report>: unknown attribute and bad boolean")
{
	CHECK_REJECTED("<config>\n <report state=\"yes\"/>\n</config>", "unknown attribute 'state' in <report>", 2, 2);
	CHECK_REJECTED("<config>\n <report child_ram=\"ja\"/>\n</config>", "bad value \"ja\" of attribute 'child_ram'", 2, 2);
	CHECK_REJECTED("<config>\n <report delay_ms=\"soon\"/>\n</config>", "attribute 'delay_ms'", 2, 2);
	CHECK_REJECTED("<config>\n <report log=\"always\"/>\n</config>", "bad value \"always\" of attribute 'log'", 2, 2);
}

TEST(TOPERR_0014, "<heartbeat>: missing, zero or bad rate_ms")
{
	CHECK_REJECTED("<config>\n <heartbeat/>\n</config>", "missing attribute 'rate_ms' in <heartbeat>", 2, 2);
	CHECK_REJECTED("<config>\n <heartbeat rate_ms=\"0\"/>\n</config>", "must not be 0", 2, 2);
	CHECK_REJECTED("<config>\n <heartbeat rate_ms=\"1s\"/>\n</config>", "bad value \"1s\" of attribute 'rate_ms'", 2, 2);
}

TEST(TOPERR_0015, "a sub-node or text in a leaf node")
{
	CHECK_REJECTED("<config>\n <default ram=\"1M\">\n   <x/>\n </default>\n</config>", "unexpected node <x> in <default>", 3, 4);
	CHECK_REJECTED("<config>\n <report>yes</report>\n</config>", "unexpected text in <report>", 2, 2);
}

TEST(TOPERR_0016, "<default-route>: unknown rule node")
{
	CHECK_REJECTED("<config>\n<default-route>\n  <any-servce><parent/></any-servce>\n</default-route>\n</config>",
	               "unknown node <any-servce> in a route", 3, 3);
}

TEST(TOPERR_0017, "<default-route>: a rule without a target")
{
	CHECK_REJECTED("<config>\n<default-route>\n  <any-service/>\n</default-route>\n</config>",
	               "<any-service> without a target", 3, 3);
}

TEST(TOPERR_0018, "<default-route>: an unknown target")
{
	CHECK_REJECTED("<config>\n<default-route>\n  <any-service>\n    <parnet/>\n  </any-service>\n</default-route>\n</config>",
	               "unknown route target <parnet>", 4, 5);
}

TEST(TOPERR_0019, "<default-route>: a <child> target without a name")
{
	CHECK_REJECTED("<config>\n<default-route>\n  <any-service> <child/> </any-service>\n</default-route>\n</config>",
	               "missing attribute 'name' in <child>", 3, 17);
}

TEST(TOPERR_0020, "<default-route>: label excludes label_prefix and label_last on a target")
{
	CHECK_REJECTED("<config>\n<default-route>\n  <any-service> <parent label=\"a\" label_last=\"b\"/> </any-service>\n"
	               "</default-route>\n</config>", "attribute 'label' in <parent> excludes", 3, 17);
}

TEST(TOPERR_0021, "<default-route>: unknown attributes of rules and targets")
{
	CHECK_REJECTED("<config>\n<default-route>\n  <service name=\"LOG\" lable=\"x\"><parent/></service>\n"
	               "</default-route>\n</config>", "unknown attribute 'lable' in <service>", 3, 3);
	CHECK_REJECTED("<config>\n<default-route>\n  <any-service label=\"x\"><parent/></any-service>\n"
	               "</default-route>\n</config>", "unknown attribute 'label' in <any-service>", 3, 3);
	CHECK_REJECTED("<config>\n<default-route>\n  <any-service><any-child name=\"x\"/></any-service>\n"
	               "</default-route>\n</config>", "unknown attribute 'name' in <any-child>", 3, 16);
}

TEST(TOPERR_0022, "<default-route>: a <service> rule without a name")
{
	CHECK_REJECTED("<config>\n<default-route>\n  <service label=\"x\"><parent/></service>\n"
	               "</default-route>\n</config>", "missing attribute 'name' in <service>", 3, 3);
}

TEST(TOPERR_0023, "<default-route>: a target child that does not exist")
{
	CHECK_REJECTED("<config>\n<default-route>\n  <any-service>\n    <child name=\"ghost\"/>\n  </any-service>\n"
	               "</default-route>\n</config>", "route target child 'ghost' does not exist", 4, 5);
}

TEST(TOPERR_0024, "<default-route>: a target child that does not provide the service")
{
	CHECK_REJECTED("<config>\n<default-route>\n  <service name=\"Nic\">\n    <child name=\"a\"/>\n  </service>\n"
	               "</default-route>\n<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/></start>\n</config>",
	               "route target child 'a' does not provide 'Nic'", 4, 5);
}

TEST(TOPERR_0025, "<default-route>: <parent/> for a service the parent does not provide")
{
	CHECK_REJECTED("<config>\n" PARENT_PROVIDES "\n<default-route>\n  <service name=\"Nic\"> <parent/> </service>\n"
	               "</default-route>\n</config>",
	               "route target <parent> does not provide 'Nic' (not in <parent-provides>)", 4, 24);
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

static void check_service_error(const char *body, const char *what, unsigned line, unsigned col)
{
	char cfg[1024];
	snprintf(cfg, sizeof(cfg), "%s%s</config>", svc_head, body);
	CHECK_REJECTED(cfg, what, line, col);
}

TEST(TOPERR_0027, "init's <service>: without any policy")
{
	check_service_error("<service name=\"S\"/>\n", "<service name=\"S\"> without a <policy> or <default-policy>", 4, 1);
}

TEST(TOPERR_0028, "init's <service>: a policy target child that does not exist or does not provide it")
{
	check_service_error("<service name=\"S\">\n  <default-policy> <child name=\"x\"/> </default-policy>\n</service>\n",
	                    "policy target child 'x' does not exist", 5, 20);
	check_service_error("<service name=\"S\">\n  <policy label=\"a\"> <child name=\"q\"/> </policy>\n</service>\n",
	                    "policy target child 'q' does not provide 'S'", 5, 22);
}

TEST(TOPERR_0029, "init's <service>: declared twice, or unknown node inside")
{
	check_service_error("<service name=\"S\"><default-policy><child name=\"s\"/></default-policy></service>\n"
	                    "<service name=\"S\"><default-policy><child name=\"s\"/></default-policy></service>\n",
	                    "init's service 'S' is declared twice", 5, 1);
	check_service_error("<service name=\"S\">\n <polcy/>\n</service>\n", "unknown node <polcy> in <service>", 5, 2);
}

TEST(TOPERR_0030, "init's <service>: two default policies, two targets, a non-child target")
{
	check_service_error("<service name=\"S\">\n<default-policy><child name=\"s\"/></default-policy>\n"
	                    "<default-policy><child name=\"s\"/></default-policy>\n</service>\n",
	                    "more than one <default-policy>", 6, 1);
	check_service_error("<service name=\"S\">\n<policy><child name=\"s\"/><child name=\"s\"/></policy>\n</service>\n",
	                    "<policy> needs exactly one target", 5, 1);
	check_service_error("<service name=\"S\">\n<policy><parent/></policy>\n</service>\n",
	                    "<policy> needs exactly one target", 5, 1);
}

TEST(TOPERR_0031, "init's <service>: policy attributes are checked")
{
	check_service_error("<service name=\"S\">\n<policy lable=\"x\"><child name=\"s\"/></policy>\n</service>\n",
	                    "unknown attribute 'lable' in <policy>", 5, 1);
	check_service_error("<service name=\"S\">\n<default-policy label=\"x\"><child name=\"s\"/></default-policy>\n</service>\n",
	                    "unknown attribute 'label' in <default-policy>", 5, 1);
	check_service_error("<service name=\"S\">\n<policy><child name=\"s\" label_last=\"x\"/></policy>\n</service>\n",
	                    "unknown attribute 'label_last' in <child>", 5, 9);
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
#define CHECK_START_ERROR(start, what, cl, oc)                                   \
	do {                                                                      \
		struct init_model *m_ = with_start(start);                        \
		CHECK(!m_->rejected);                                             \
		CHECK_ERROR(m_, what, 3, cl, oc);                                 \
		CHECK_EQ(find_error(m_, what)->scope, INIT_ERR_CHILD);            \
		CHECK(init_model_child(m_, "ok") != NULL);                        \
		CHECK_EQ(m_->n_children, 1);                                      \
		release(m_);                                                      \
	} while (0)

#define NS INIT_OUTCOME_NOT_STARTED

TEST(STARTERR_0001, "<start> without a name: the node is ignored")
{
	CHECK_START_ERROR("<start ram=\"1M\" caps=\"1\"><binary name=\"a\"/></start>",
	                  "missing attribute 'name' in <start>", 1, INIT_OUTCOME_NODE_IGNORED);
}

TEST(STARTERR_0002, "<start> with an empty name or one containing \" -> \"")
{
	CHECK_START_ERROR("<start name=\"\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/></start>",
	                  "bad name \"\" in <start>", 1, INIT_OUTCOME_NODE_IGNORED);
	CHECK_START_ERROR("<start name=\"a -> b\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/></start>",
	                  "bad name \"a -> b\" in <start>", 1, INIT_OUTCOME_NODE_IGNORED);
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

TEST(STARTERR_0004, "an unknown attribute of <start>")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\" affinity=\"1\"><binary name=\"a\"/></start>",
	                  "unknown attribute 'affinity' in <start>", 1, NS);
}

TEST(STARTERR_0005, "missing ram and no default")
{
	CHECK_START_ERROR("<start name=\"a\" caps=\"1\"><binary name=\"a\"/></start>",
	                  "missing attribute 'ram' in <start> (and no <default ram=...>)", 1, NS);
}

TEST(STARTERR_0006, "bad and zero ram")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"lots\" caps=\"1\"><binary name=\"a\"/></start>",
	                  "bad value \"lots\" of attribute 'ram' in <start>", 1, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"99999999999G\" caps=\"1\"><binary name=\"a\"/></start>",
	                  "of attribute 'ram'", 1, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"0\" caps=\"1\"><binary name=\"a\"/></start>",
	                  "attribute 'ram' in <start> must not be 0", 1, NS);
}

TEST(STARTERR_0007, "missing, bad and zero caps")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\"><binary name=\"a\"/></start>",
	                  "missing attribute 'caps' in <start>", 1, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1K\"><binary name=\"a\"/></start>",
	                  "bad value \"1K\" of attribute 'caps'", 1, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"0\"><binary name=\"a\"/></start>",
	                  "attribute 'caps' in <start> must not be 0", 1, NS);
}

TEST(STARTERR_0008, "priority outside 0 .. -(prio_levels - 1), or not a number")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\" priority=\"-1\"><binary name=\"a\"/></start>",
	                  "bad value \"-1\" of attribute 'priority' in <start> (expected 0 to -0)", 1, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\" priority=\"1\"><binary name=\"a\"/></start>",
	                  "attribute 'priority'", 1, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\" priority=\"high\"><binary name=\"a\"/></start>",
	                  "attribute 'priority'", 1, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\" priority=\"-\"><binary name=\"a\"/></start>",
	                  "attribute 'priority'", 1, NS);
}

TEST(STARTERR_0009, "a bad restart policy")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\" restart=\"sometimes\"><binary name=\"a\"/></start>",
	                  "bad value \"sometimes\" of attribute 'restart'", 1, NS);
}

TEST(STARTERR_0010, "ld=\"yes\" is refused, a bad ld value too; ld=\"no\" is fine")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\" ld=\"yes\"><binary name=\"a\"/></start>",
	                  "dynamically linked binaries are not supported", 1, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\" ld=\"2\"><binary name=\"a\"/></start>",
	                  "bad value \"2\" of attribute 'ld'", 1, NS);
	struct init_model *m = good("<config><start name=\"a\" ram=\"1M\" caps=\"1\" ld=\"no\"><binary name=\"a\"/></start></config>");
	release(m);
}

TEST(STARTERR_0011, "a missing binary")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"></start>",
	                  "missing <binary name=...> in <start name=\"a\">", 1, NS);
}

TEST(STARTERR_0012, "a <binary> without a name or with an empty one; two <binary> nodes")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"> <binary/></start>",
	                  "missing attribute 'name' in <binary>", 36, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"> <binary name=\"\"/></start>",
	                  "empty binary name", 36, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><binary name=\"b\"/></start>",
	                  "more than one <binary> node in <start>", 53, NS);
}

TEST(STARTERR_0013, "an unknown node in <start>, with a hint for <resource>")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><affinity/></start>",
	                  "unknown node <affinity> in <start>", 53, NS);
	CHECK_START_ERROR("<start name=\"a\"><binary name=\"a\"/><resource name=\"RAM\" quantum=\"1M\"/></start>",
	                  "give quota as ram=... caps=... of <start>", 35, NS);
}

TEST(STARTERR_0014, "text in <start> and in <binary>")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\">x</start>",
	                  "unexpected text in <start>", 1, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\">b</binary></start>",
	                  "unexpected text in <binary>", 35, NS);
}

TEST(STARTERR_0015, "<provides>: unknown node, missing name, duplicate, two <provides>")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><provides><svc/></provides></start>",
	                  "unknown node <svc> in <provides>", 63, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><provides><service/></provides></start>",
	                  "missing attribute 'name' in <service>", 63, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><provides><service name=\"S\"/>"
	                  "<service name=\"S\"/></provides></start>", "service 'S' is listed twice in <provides>", 82, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><provides/><provides/></start>",
	                  "more than one <provides> node", 64, NS);
}

TEST(STARTERR_0016, "a child's <heartbeat>: restart_after 0, bad value, unknown attribute")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><heartbeat restart_after=\"0\"/></start>",
	                  "'restart_after' in <heartbeat> must be 1 to 1000000", 53, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><heartbeat restart_after=\"x\"/></start>",
	                  "bad value \"x\" of attribute 'restart_after'", 53, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><heartbeat rate_ms=\"5\"/></start>",
	                  "unknown attribute 'rate_ms' in <heartbeat>", 53, NS);
}

TEST(STARTERR_0017, "a child's <heartbeat> without restart_after only monitors")
{
	struct init_model *m = good("<config><heartbeat rate_ms=\"10\"/><start name=\"a\" ram=\"1M\" caps=\"1\">"
	                            "<binary name=\"a\"/><heartbeat/></start></config>");
	CHECK(m->children[0]->heartbeat);
	CHECK_EQ(m->children[0]->heartbeat_restart_after, 0);
	release(m);
}

TEST(STARTERR_0018, "<route>: unknown rule, rule without target, unknown target, target without name")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><route><srv/></route></start>",
	                  "unknown node <srv> in a route", 60, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><route><any-service/></route></start>",
	                  "<any-service> without a target", 60, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><route><any-service><self/>"
	                  "</any-service></route></start>", "unknown route target <self>", 73, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><route><any-service><child/>"
	                  "</any-service></route></start>", "missing attribute 'name' in <child>", 73, NS);
}

TEST(STARTERR_0019, "<route>: text and attributes where none belong; two <route> nodes")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><route x=\"1\"/></start>",
	                  "unknown attribute 'x' in <route>", 53, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><route>r</route></start>",
	                  "unexpected text in <route>", 53, NS);
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><route/><route/></start>",
	                  "more than one <route> node", 61, NS);
}

TEST(STARTERR_0020, "<route>: label and label_prefix together on a target")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><route><any-service>"
	                  "<parent label=\"x\" label_prefix=\"y\"/></any-service></route></start>",
	                  "attribute 'label' in <parent> excludes", 73, NS);
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

TEST(STARTERR_0023, "two embedded <config> nodes")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><config/><config/></start>",
	                  "more than one <config> node", 62, NS);
}

/* ---- conflicts between children ----------------------------------------- */

TEST(CONFLICT_0001, "a service provided by two children: the later child is rejected")
{
	struct init_model *m = model("<config>\n"
		"<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><provides><service name=\"S\"/></provides></start>\n"
		"<start name=\"b\" ram=\"1M\" caps=\"1\"><binary name=\"b\"/>\n"
		"  <provides><service name=\"S\"/></provides></start>\n</config>");
	CHECK(!m->rejected);
	CHECK_ERROR(m, "service 'S' is already provided by child 'a'", 4, 13, NS);
	CHECK_EQ(m->n_children, 1);
	CHECK(init_model_provider(m, "S") == init_model_child(m, "a"));
	release(m);
}

TEST(CONFLICT_0002, "a route target child that does not exist")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><route><any-service>"
	                  "<child name=\"nobody\"/></any-service></route></start>",
	                  "route target child 'nobody' does not exist", 73, NS);
}

TEST(CONFLICT_0003, "a route target child that does not provide the named service")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><route><service name=\"Nic\">"
	                  "<child name=\"ok\"/></service></route></start>",
	                  "route target child 'ok' does not provide 'Nic'", 80, NS);
}

TEST(CONFLICT_0004, "a route to the child itself")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><route><any-service>"
	                  "<child name=\"a\"/></any-service></route></start>",
	                  "route of child 'a' targets the child itself", 73, NS);
}

TEST(CONFLICT_0005, "<parent/> for a named service the parent does not provide")
{
	CHECK_START_ERROR("<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><route><service name=\"Nic\">"
	                  "<parent/></service></route></start>",
	                  "route target <parent> does not provide 'Nic' (not in <parent-provides>)", 80, NS);
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

TEST(KEEP_0007, "a second provider of a service keeps its previous settings without the service")
{
	struct init_model *v1 = good("<config>\n"
		"<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><provides><service name=\"S\"/></provides></start>\n"
		"<start name=\"b\" ram=\"1M\" caps=\"1\"><binary name=\"b\"/></start>\n</config>");
	struct init_model *v2 = model_p("<config>\n"
		"<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><provides><service name=\"S\"/></provides></start>\n"
		"<start name=\"b\" ram=\"1M\" caps=\"1\"><binary name=\"b\"/><provides><service name=\"S\"/></provides></start>\n"
		"</config>", v1);
	CHECK_ERROR(v2, "service 'S' is already provided by child 'a'", 3, 63, INIT_OUTCOME_KEPT);
	CHECK_EQ(init_model_child(v2, "b")->n_provides, 0);
	release(v1);
	release(v2);
}

TEST(KEEP_0008, "earlier nodes win: a kept child's service beats a later new provider")
{
	struct init_model *v1 = good("<config>\n"
		"<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><provides><service name=\"S\"/></provides></start>\n"
		"</config>");
	struct init_model *v2 = model_p("<config>\n"
		"<start name=\"a\" ram=\"1M\" caps=\"1\" x=\"\"><binary name=\"a\"/></start>\n"
		"<start name=\"b\" ram=\"1M\" caps=\"1\"><binary name=\"b\"/><provides><service name=\"S\"/></provides></start>\n"
		"</config>", v1);
	CHECK_ERROR(v2, "unknown attribute 'x'", 2, 1, INIT_OUTCOME_KEPT);
	CHECK_ERROR(v2, "service 'S' is already provided by child 'a'", 3, 63, NS);
	CHECK(init_model_provider(v2, "S") == init_model_child(v2, "a"));
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
