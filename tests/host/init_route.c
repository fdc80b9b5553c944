// sources: base/src/config_parse.c base/src/config_query.c base/src/config_write.c os/init/model.c os/init/check.c os/init/parse.c os/init/start.c os/init/settle.c os/init/text.c os/init/route.c os/init/diff.c os/init/report.c os/init/policy.c
// cflags: -Ios/init
/*
 * Host tests of init's session routing (os/init/route.c): rule order,
 * default route as fallback, target selection, label matching (exact,
 * prefix, suffix, last element), label rewriting, embedded configs,
 * requests from init's parent, denials and their reasons.
 *
 * Areas: ROUTE (rules and targets), LABEL (matching), REWRITE (labels the
 * server sees), MATRIX (tables of requests), PARENT (init's own services),
 * DENY (bad requests and their reasons).
 */
#include "init_common.h"

struct routed {
	enum init_route_kind kind;
	const char *server;         /* name or NULL */
	char label[INIT_LABEL_MAX];
	struct init_route_result r;
};

static struct routed *route(const struct init_model *m, const char *client, const char *service, const char *label)
{
	struct routed *x = test_alloc(8, sizeof(*x));
	const struct init_child *c = init_model_child(m, client);
	CHECK_MSG(c != NULL, "no child %s", client);
	x->kind = init_route_session(m, c, service, label, x->label, sizeof(x->label), &x->r);
	CHECK_EQ(x->kind, x->r.kind);
	x->server = x->r.server ? x->r.server->name : NULL;
	return x;
}

#define CHECK_PARENT(x, lbl)                                                      \
	do {                                                                      \
		CHECK_EQ((x)->kind, INIT_ROUTE_PARENT);                           \
		CHECK_MSG(!strcmp((x)->label, lbl), "label [%.200s]", (x)->label); \
	} while (0)

#define CHECK_CHILD(x, srv, lbl)                                                  \
	do {                                                                      \
		CHECK_EQ((x)->kind, INIT_ROUTE_CHILD);                            \
		CHECK_MSG(!strcmp((x)->server, srv), "server %s", (x)->server);   \
		CHECK_MSG(!strcmp((x)->label, lbl), "label [%.200s]", (x)->label); \
	} while (0)

#define CHECK_DENIED(x, why)                                                      \
	do {                                                                      \
		CHECK_EQ((x)->kind, INIT_ROUTE_DENIED);                           \
		CHECK_MSG(strstr((x)->r.denial, why), "denial: %s", (x)->r.denial); \
		CHECK((x)->r.server == NULL);                                     \
	} while (0)

/* A child "app" with the given route, servers "fs" (File_system, ROM),
 * "log" (LOG) and "gui" (Gui), and the given default route. */
static struct init_model *net(const char *app_route, const char *default_route)
{
	char cfg[4096];
	snprintf(cfg, sizeof(cfg),
	         "<config>\n" PARENT_PROVIDES "\n"
	         "%s\n"
	         "<start name=\"fs\" ram=\"1M\" caps=\"10\"><binary name=\"fs\"/>"
	         "<provides><service name=\"File_system\"/><service name=\"ROM\"/></provides></start>\n"
	         "<start name=\"log\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/>"
	         "<provides><service name=\"LOG\"/></provides></start>\n"
	         "<start name=\"gui\" ram=\"1M\" caps=\"10\"><binary name=\"gui\"/>"
	         "<provides><service name=\"Gui\"/></provides><route><any-service><parent/></any-service></route></start>\n"
	         "<start name=\"app\" ram=\"1M\" caps=\"10\"><binary name=\"app-bin\"/>%s</start>\n"
	         "</config>", default_route, app_route);
	return good(cfg);
}

static const char dflt_parent_then_child[] =
	"<default-route><any-service><parent/><any-child/></any-service></default-route>";

/* ---- rules and targets -------------------------------------------------- */

TEST(ROUTE_0001, "without any route a request is denied")
{
	struct init_model *m = net("", "");
	CHECK_DENIED(route(m, "app", "LOG", "x"), "no route matches");
	CHECK(route(m, "app", "LOG", "x")->r.rule == NULL);
	release(m);
}

TEST(ROUTE_0002, "<any-service><parent/> routes to the parent with the scoped label")
{
	struct init_model *m = net("", dflt_parent_then_child);
	CHECK_PARENT(route(m, "app", "LOG", "x"), "app -> x");
	CHECK_PARENT(route(m, "app", "CPU", "a -> b"), "app -> a -> b");
	release(m);
}

TEST(ROUTE_0003, "an empty label becomes \"<child> -> \"")
{
	struct init_model *m = net("", dflt_parent_then_child);
	CHECK_PARENT(route(m, "app", "PD", ""), "app -> ");
	release(m);
}

TEST(ROUTE_0004, "<parent/> does not fit services missing in <parent-provides>: the next target does")
{
	struct init_model *m = net("", dflt_parent_then_child);
	CHECK_CHILD(route(m, "app", "File_system", "home"), "fs", "app -> home");
	CHECK_CHILD(route(m, "app", "Gui", ""), "gui", "app -> ");
	release(m);
}

TEST(ROUTE_0005, "the first fitting target wins: parent before any-child for LOG")
{
	struct init_model *m = net("", dflt_parent_then_child);
	CHECK_PARENT(route(m, "app", "LOG", "l"), "app -> l");
	release(m);
	m = net("", "<default-route><any-service><any-child/><parent/></any-service></default-route>");
	CHECK_CHILD(route(m, "app", "LOG", "l"), "log", "app -> l");
	release(m);
}

TEST(ROUTE_0006, "a service nobody provides is denied after all <any-service> rules")
{
	struct init_model *m = net("", dflt_parent_then_child);
	CHECK_DENIED(route(m, "app", "Nic", ""), "no route matches");
	release(m);
}

TEST(ROUTE_0030, "with two providers <any-child/> cannot choose (denied, saying so); <child name> can")
{
	struct init_model *m = good("<config>\n" PARENT_PROVIDES "\n"
		"<start name=\"ext2\" ram=\"1M\" caps=\"10\"><binary name=\"fs\"/>"
		"<provides><service name=\"File_system\"/></provides></start>\n"
		"<start name=\"fat\" ram=\"1M\" caps=\"10\"><binary name=\"fs\"/>"
		"<provides><service name=\"File_system\"/></provides></start>\n"
		"<start name=\"app\" ram=\"1M\" caps=\"10\"><binary name=\"app\"/><route>"
		"<service name=\"File_system\" label=\"boot\"><child name=\"fat\"/></service>"
		"<service name=\"File_system\" label=\"any\"><any-child/></service>"
		"<service name=\"File_system\"><child name=\"ext2\"/></service>"
		"</route></start>\n"
		"<start name=\"other\" ram=\"1M\" caps=\"10\"><binary name=\"app\"/><route>"
		"<any-service><any-child/></any-service></route></start>\n"
		"</config>");

	CHECK_CHILD(route(m, "app", "File_system", "boot"), "fat", "app -> boot");
	CHECK_CHILD(route(m, "app", "File_system", "home"), "ext2", "app -> home");
	CHECK_DENIED(route(m, "app", "File_system", "any"), "several children provide the service");
	CHECK_DENIED(route(m, "other", "File_system", ""), "several children provide the service");
	/* the provider itself is not counted: fat's <any-child/> finds only ext2 */
	release(m);
}

TEST(ROUTE_0007, "the child's <route> comes before the <default-route>")
{
	struct init_model *m = net("<route><service name=\"LOG\"><child name=\"log\"/></service></route>",
	                           dflt_parent_then_child);
	CHECK_CHILD(route(m, "app", "LOG", "x"), "log", "app -> x");
	CHECK_PARENT(route(m, "fs", "LOG", "x"), "fs -> x");
	release(m);
}

TEST(ROUTE_0008, "a child's <route> without a match falls back to the <default-route>")
{
	struct init_model *m = net("<route><service name=\"LOG\" label=\"dbg\"><child name=\"log\"/></service></route>",
	                           dflt_parent_then_child);
	CHECK_CHILD(route(m, "app", "LOG", "dbg"), "log", "app -> dbg");
	CHECK_PARENT(route(m, "app", "LOG", "other"), "app -> other");
	release(m);
}

TEST(ROUTE_0009, "a matching <service> rule without a fitting target denies, no fallback")
{
	struct init_model *m = net("<route><service name=\"Gui\"><any-child/></service>"
	                           "<service name=\"Nic\"><any-child/></service></route>", dflt_parent_then_child);
	CHECK_CHILD(route(m, "app", "Gui", ""), "gui", "app -> ");
	/* nobody provides Nic: the <service> rule denies, the default route is not asked */
	struct routed *x = route(m, "app", "Nic", "");
	CHECK_DENIED(x, "no target of the matching route provides the service");
	CHECK(x->r.rule != NULL);
	CHECK_EQ(x->r.rule->line, 7);
	release(m);
}

TEST(ROUTE_0010, "an <any-service> rule without a fitting target goes on with the next rule")
{
	struct init_model *m = net("<route><any-service><child name=\"log\"/></any-service>"
	                           "<service name=\"Gui\"><child name=\"gui\"/></service></route>", "");
	CHECK_CHILD(route(m, "app", "LOG", "a"), "log", "app -> a");
	CHECK_CHILD(route(m, "app", "Gui", "b"), "gui", "app -> b");
	CHECK_DENIED(route(m, "app", "ROM", "c"), "no route matches");
	release(m);
}

TEST(ROUTE_0011, "a named child target that does not provide the service is skipped")
{
	struct init_model *m = net("<route><any-service><child name=\"gui\"/><child name=\"fs\"/></any-service></route>", "");
	CHECK_CHILD(route(m, "app", "Gui", ""), "gui", "app -> ");
	CHECK_CHILD(route(m, "app", "ROM", "r"), "fs", "app -> r");
	CHECK_DENIED(route(m, "app", "LOG", ""), "no route matches");
	release(m);
}

TEST(ROUTE_0012, "<any-child/> never routes a child to itself")
{
	struct init_model *m = net("", dflt_parent_then_child);
	CHECK_PARENT(route(m, "log", "LOG", "x"), "log -> x");
	release(m);
	m = net("", "<default-route><any-service><any-child/></any-service></default-route>");
	CHECK_DENIED(route(m, "log", "LOG", "x"), "no route matches");
	CHECK_CHILD(route(m, "app", "LOG", "x"), "log", "app -> x");
	release(m);
}

TEST(ROUTE_0013, "service names are compared exactly")
{
	struct init_model *m = net("<route><service name=\"LOG\"><child name=\"log\"/></service></route>", "");
	CHECK_DENIED(route(m, "app", "Log", ""), "no route matches");
	CHECK_DENIED(route(m, "app", "LOGX", ""), "no route matches");
	release(m);
}

TEST(ROUTE_0014, "rules for one service with different labels: the first match wins")
{
	struct init_model *m = net("<route>"
	        "<service name=\"ROM\" label=\"config\"><parent label=\"app.config\"/></service>"
	        "<service name=\"ROM\" label_prefix=\"data/\"><child name=\"fs\"/></service>"
	        "<service name=\"ROM\"><parent/></service>"
	        "</route>", "");
	CHECK_PARENT(route(m, "app", "ROM", "config"), "app.config");
	CHECK_CHILD(route(m, "app", "ROM", "data/x"), "fs", "app -> data/x");
	CHECK_PARENT(route(m, "app", "ROM", "other"), "app -> other");
	release(m);
}

TEST(ROUTE_0015, "the result names the deciding rule and target")
{
	struct init_model *m = net("<route><service name=\"LOG\"><parent/><child name=\"log\"/></service></route>", "");
	struct routed *x = route(m, "app", "LOG", "");
	const struct init_child *app = init_model_child(m, "app");
	CHECK(x->r.rule == &app->route.rules[0]);
	CHECK(x->r.target == &app->route.rules[0].targets[0]);
	CHECK_EQ(x->r.label_len, strlen("app -> "));
	release(m);
}

TEST(ROUTE_0016, "the binary is a ROM request with the binary's name as label")
{
	struct init_model *m = net("<route><service name=\"ROM\" label=\"app-bin\"><child name=\"fs\"/></service></route>",
	                           dflt_parent_then_child);
	struct init_route_result r;
	char label[64];
	CHECK_EQ(init_route_binary(m, init_model_child(m, "app"), label, sizeof(label), &r), INIT_ROUTE_CHILD);
	CHECK(!strcmp(r.server->name, "fs"));
	CHECK(!strcmp(label, "app -> app-bin"));
	CHECK_EQ(init_route_binary(m, init_model_child(m, "log"), label, sizeof(label), &r), INIT_ROUTE_PARENT);
	CHECK(!strcmp(label, "log -> log"));
	release(m);
}

TEST(ROUTE_0017, "ROM \"config\" of a child with an embedded <config> is served by init")
{
	struct init_model *m = good("<config>" PARENT_PROVIDES
	        "<default-route><any-service><parent/></any-service></default-route>"
	        "<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/><config><x/></config>"
	        "<route><service name=\"ROM\" label=\"config\"><parent label=\"a.config\"/></service></route></start>"
	        "<start name=\"b\" ram=\"1M\" caps=\"1\"><binary name=\"b\"/></start></config>");
	struct routed *x = route(m, "a", "ROM", "config");
	CHECK_EQ(x->kind, INIT_ROUTE_LOCAL_CONFIG);
	CHECK(!strcmp(x->label, "a -> config"));
	CHECK(x->r.server == NULL);
	/* without an embedded config the request is routed */
	CHECK_PARENT(route(m, "b", "ROM", "config"), "b -> config");
	/* only the exact label "config" */
	CHECK_PARENT(route(m, "a", "ROM", "x -> config"), "a -> x -> config");
	CHECK_PARENT(route(m, "a", "ROM", "config2"), "a -> config2");
	CHECK_PARENT(route(m, "a", "LOG", "config"), "a -> config");
	release(m);
}

TEST(ROUTE_0018, "a kept (carried) child routes with its previous route")
{
	struct init_model *v1 = net("<route><service name=\"LOG\"><child name=\"log\"/></service></route>", "");
	char cfg[2048];
	snprintf(cfg, sizeof(cfg), "<config>" PARENT_PROVIDES
	         "<start name=\"log\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/>"
	         "<provides><service name=\"LOG\"/></provides></start>"
	         "<start name=\"app\" ram=\"1M\" caps=\"10\" junk=\"1\"><binary name=\"app-bin\"/></start></config>");
	struct init_model *v2 = model_p(cfg, v1);
	CHECK(init_model_child(v2, "app")->carried);
	CHECK_CHILD(route(v2, "app", "LOG", "k"), "log", "app -> k");
	release(v1);
	release(v2);
}

/* ---- label matching ----------------------------------------------------- */

static bool matches(const char *label, const char *exact, const char *prefix, const char *suffix, const char *last)
{
	struct init_label_filter f = { exact, prefix, suffix, last };
	return init_label_matches(&f, label);
}

TEST(LABEL_0001, "no condition matches every label")
{
	CHECK(matches("", NULL, NULL, NULL, NULL));
	CHECK(matches("a -> b", NULL, NULL, NULL, NULL));
}

TEST(LABEL_0002, "label: exact match only")
{
	CHECK(matches("x", "x", NULL, NULL, NULL));
	CHECK(!matches("xy", "x", NULL, NULL, NULL));
	CHECK(!matches("", "x", NULL, NULL, NULL));
	CHECK(matches("", "", NULL, NULL, NULL));
	CHECK(!matches("x", "", NULL, NULL, NULL));
	CHECK(!matches("X", "x", NULL, NULL, NULL));
}

TEST(LABEL_0003, "label_prefix: starts with (an empty prefix matches all)")
{
	CHECK(matches("fonts/a.ttf", NULL, "fonts/", NULL, NULL));
	CHECK(matches("fonts/", NULL, "fonts/", NULL, NULL));
	CHECK(!matches("font", NULL, "fonts/", NULL, NULL));
	CHECK(!matches("x fonts/", NULL, "fonts/", NULL, NULL));
	CHECK(matches("anything", NULL, "", NULL, NULL));
}

TEST(LABEL_0004, "label_suffix: ends with")
{
	CHECK(matches("a.png", NULL, NULL, ".png", NULL));
	CHECK(matches(".png", NULL, NULL, ".png", NULL));
	CHECK(!matches("png", NULL, NULL, ".png", NULL));
	CHECK(!matches("a.png.gz", NULL, NULL, ".png", NULL));
	CHECK(matches("x", NULL, NULL, "", NULL));
}

TEST(LABEL_0005, "label_last: the element after the last \" -> \"")
{
	CHECK(matches("a -> b -> c", NULL, NULL, NULL, "c"));
	CHECK(!matches("a -> b -> c", NULL, NULL, NULL, "b"));
	CHECK(matches("c", NULL, NULL, NULL, "c"));
	CHECK(!matches("a -> bc", NULL, NULL, NULL, "c"));
	CHECK(matches("a -> ", NULL, NULL, NULL, ""));
	CHECK(matches("", NULL, NULL, NULL, ""));
	CHECK(matches("a->c", NULL, NULL, NULL, "a->c"));   /* no spaces: not a separator */
}

TEST(LABEL_0006, "all present conditions must hold")
{
	CHECK(matches("img/a.png", NULL, "img/", ".png", NULL));
	CHECK(!matches("img/a.jpg", NULL, "img/", ".png", NULL));
	CHECK(!matches("doc/a.png", NULL, "img/", ".png", NULL));
	CHECK(matches("x -> img/a.png", NULL, "x", ".png", "img/a.png"));
	CHECK(!matches("x -> img/a.png", "x -> img/a.png", NULL, NULL, "img"));
}

TEST(LABEL_0007, "route conditions see the label as the child gave it, not the scoped one")
{
	struct init_model *m = net("<route><service name=\"LOG\" label=\"app -> x\"><child name=\"log\"/></service>"
	                           "<service name=\"LOG\" label_prefix=\"app\"><child name=\"log\" label=\"pfx\"/></service>"
	                           "</route>", dflt_parent_then_child);
	CHECK_PARENT(route(m, "app", "LOG", "x"), "app -> x");
	CHECK_CHILD(route(m, "app", "LOG", "app-log"), "log", "pfx");
	release(m);
}

TEST(LABEL_0008, "label_last in a route matches nested labels of a child")
{
	struct init_model *m = net("<route><service name=\"ROM\" label_last=\"font.ttf\"><child name=\"fs\"/></service>"
	                           "<any-service><parent/></any-service></route>", "");
	CHECK_CHILD(route(m, "app", "ROM", "sub -> font.ttf"), "fs", "app -> sub -> font.ttf");
	CHECK_CHILD(route(m, "app", "ROM", "font.ttf"), "fs", "app -> font.ttf");
	CHECK_PARENT(route(m, "app", "ROM", "font.ttf -> x"), "app -> font.ttf -> x");
	release(m);
}

TEST(LABEL_0009, "label_suffix and label_prefix in routes")
{
	struct init_model *m = net("<route><service name=\"ROM\" label_suffix=\".cfg\"><child name=\"fs\"/></service>"
	                           "<service name=\"ROM\" label_prefix=\"sys/\"><parent/></service></route>", "");
	CHECK_CHILD(route(m, "app", "ROM", "net.cfg"), "fs", "app -> net.cfg");
	CHECK_CHILD(route(m, "app", "ROM", "sys/net.cfg"), "fs", "app -> sys/net.cfg");
	CHECK_PARENT(route(m, "app", "ROM", "sys/kernel"), "app -> sys/kernel");
	CHECK_DENIED(route(m, "app", "ROM", "other"), "no route matches");
	release(m);
}

/* ---- label rewriting ---------------------------------------------------- */

TEST(REWRITE_0001, "label= replaces the whole label, hiding the client")
{
	struct init_model *m = net("<route><service name=\"File_system\"><child name=\"fs\" label=\"primary_user\"/>"
	                           "</service></route>", "");
	CHECK_CHILD(route(m, "app", "File_system", "home"), "fs", "primary_user");
	CHECK_CHILD(route(m, "app", "File_system", ""), "fs", "primary_user");
	release(m);
}

TEST(REWRITE_0002, "label= may be empty")
{
	struct init_model *m = net("<route><any-service><parent label=\"\"/></any-service></route>", "");
	CHECK_PARENT(route(m, "app", "LOG", "x"), "");
	release(m);
}

TEST(REWRITE_0003, "label_prefix= replaces the client's name")
{
	struct init_model *m = net("<route><any-service><parent label_prefix=\"sandbox\"/></any-service></route>", "");
	CHECK_PARENT(route(m, "app", "LOG", "x"), "sandbox -> x");
	CHECK_PARENT(route(m, "app", "LOG", "a -> b"), "sandbox -> a -> b");
	CHECK_PARENT(route(m, "app", "LOG", ""), "sandbox -> ");
	release(m);
}

TEST(REWRITE_0004, "label_last= replaces the last element")
{
	struct init_model *m = net("<route><service name=\"ROM\"><parent label_last=\"app.config\"/></service></route>", "");
	CHECK_PARENT(route(m, "app", "ROM", "config"), "app -> app.config");
	CHECK_PARENT(route(m, "app", "ROM", "sub -> config"), "app -> sub -> app.config");
	CHECK_PARENT(route(m, "app", "ROM", ""), "app -> app.config");
	release(m);
}

TEST(REWRITE_0005, "label_prefix= and label_last= together")
{
	struct init_model *m = net("<route><service name=\"ROM\"><parent label_prefix=\"box\" label_last=\"z\"/></service></route>", "");
	CHECK_PARENT(route(m, "app", "ROM", "a -> b"), "box -> a -> z");
	release(m);
}

TEST(REWRITE_0006, "rewriting on <child> and <any-child> targets")
{
	struct init_model *m = net("<route><service name=\"LOG\"><any-child label_prefix=\"anon\"/></service>"
	                           "<service name=\"Gui\"><child name=\"gui\" label_last=\"win\"/></service></route>", "");
	CHECK_CHILD(route(m, "app", "LOG", "x"), "log", "anon -> x");
	CHECK_CHILD(route(m, "app", "Gui", "main -> w1"), "gui", "app -> main -> win");
	release(m);
}

TEST(REWRITE_0007, "the default route rewrites for every child it serves")
{
	struct init_model *m = net("", "<default-route><service name=\"LOG\"><parent label=\"shared\"/></service>"
	                               "<any-service><parent/><any-child/></any-service></default-route>");
	CHECK_PARENT(route(m, "app", "LOG", "x"), "shared");
	CHECK_PARENT(route(m, "fs", "LOG", "y"), "shared");
	CHECK_PARENT(route(m, "fs", "ROM", "y"), "fs -> y");
	release(m);
}

TEST(REWRITE_0008, "a label too long for the buffer is denied, not cut")
{
	struct init_model *m = net("", dflt_parent_then_child);
	struct init_route_result r;
	char small[9];
	const struct init_child *app = init_model_child(m, "app");
	CHECK_EQ(init_route_session(m, app, "LOG", "x", small, sizeof(small), &r), INIT_ROUTE_PARENT);
	CHECK(!strcmp(small, "app -> x"));
	CHECK_EQ(init_route_session(m, app, "LOG", "xy", small, sizeof(small), &r), INIT_ROUTE_DENIED);
	CHECK(strstr(r.denial, "label is too long") != NULL);
	CHECK_EQ(r.label_len, strlen("app -> xy"));
	CHECK_EQ(init_route_session(m, app, "LOG", "", small, 0, &r), INIT_ROUTE_DENIED);
	release(m);
}

/* ---- tables of requests ------------------------------------------------- */

struct row {
	const char *client, *service, *label;
	enum init_route_kind kind;
	const char *server;     /* for INIT_ROUTE_CHILD */
	const char *seen;       /* label for the server, or the denial's text */
};

static void run_rows(const struct init_model *m, const struct row *rows, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const struct row *w = &rows[i];
		struct routed *x = route(m, w->client, w->service, w->label);
		CHECK_MSG(x->kind == w->kind, "row %u (%s %s \"%s\"): kind %d, expected %d", i, w->client, w->service,
		          w->label, x->kind, w->kind);
		if (w->kind == INIT_ROUTE_DENIED) {
			CHECK_MSG(strstr(x->r.denial, w->seen), "row %u: denial %s", i, x->r.denial);
			continue;
		}
		if (w->kind == INIT_ROUTE_CHILD)
			CHECK_MSG(!strcmp(x->server, w->server), "row %u: server %s", i, x->server);
		CHECK_MSG(!strcmp(x->label, w->seen), "row %u: label [%.200s]", i, x->label);
	}
}

static const char matrix_cfg[] =
	"<config>\n" PARENT_PROVIDES "\n"
	"<default-route>\n"
	"  <service name=\"LOG\"> <child name=\"log\"/> </service>\n"
	"  <service name=\"ROM\" label_last=\"ld.lib.so\"> <parent label=\"ld\"/> </service>\n"
	"  <any-service> <parent/> <any-child/> </any-service>\n"
	"</default-route>\n"
	"<start name=\"log\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/><provides><service name=\"LOG\"/></provides>\n"
	"  <route><service name=\"LOG\"><parent/></service><any-service><parent/></any-service></route></start>\n"
	"<start name=\"timer\" ram=\"1M\" caps=\"10\"><binary name=\"timer\"/><provides><service name=\"Timer\"/></provides>\n"
	"  <route><any-service><parent/></any-service></route></start>\n"
	"<start name=\"fs\" ram=\"1M\" caps=\"10\"><binary name=\"fs\"/><provides><service name=\"File_system\"/></provides></start>\n"
	"<start name=\"vfs\" ram=\"1M\" caps=\"10\"><binary name=\"vfs\"/><provides><service name=\"Vfs\"/></provides>\n"
	"  <route>\n"
	"    <service name=\"File_system\" label_prefix=\"home\"> <child name=\"fs\" label=\"home\"/> </service>\n"
	"    <service name=\"File_system\"> <child name=\"fs\" label_prefix=\"vfs-other\"/> </service>\n"
	"  </route></start>\n"
	"<start name=\"app\" ram=\"1M\" caps=\"10\"><binary name=\"app\"/><config/>\n"
	"  <route>\n"
	"    <service name=\"Timer\" label=\"slow\"> <parent/> </service>\n"
	"    <service name=\"Vfs\" label_suffix=\"ro\"> <child name=\"vfs\" label_last=\"readonly\"/> </service>\n"
	"    <service name=\"Vfs\"> <any-child/> </service>\n"
	"    <service name=\"Nic\"> <any-child/> </service>\n"
	"  </route></start>\n"
	"</config>\n";

TEST(MATRIX_0001, "requests of 'app' through its route and the default route")
{
	struct init_model *m = good(matrix_cfg);
	static const struct row rows[] = {
		{ "app", "Timer", "slow", INIT_ROUTE_PARENT, NULL, "app -> slow" },
		{ "app", "Timer", "fast", INIT_ROUTE_PARENT, NULL, "app -> fast" },   /* default: parent first */
		{ "app", "Vfs", "data -> ro", INIT_ROUTE_CHILD, "vfs", "app -> data -> readonly" },
		{ "app", "Vfs", "rw", INIT_ROUTE_CHILD, "vfs", "app -> rw" },
		{ "app", "Nic", "", INIT_ROUTE_DENIED, NULL, "no target of the matching route" },
		{ "app", "LOG", "", INIT_ROUTE_CHILD, "log", "app -> " },
		{ "app", "ROM", "config", INIT_ROUTE_LOCAL_CONFIG, NULL, "app -> config" },
		{ "app", "ROM", "ld.lib.so", INIT_ROUTE_PARENT, NULL, "ld" },
		{ "app", "ROM", "x -> ld.lib.so", INIT_ROUTE_PARENT, NULL, "ld" },
		{ "app", "ROM", "font", INIT_ROUTE_PARENT, NULL, "app -> font" },
		{ "app", "File_system", "", INIT_ROUTE_CHILD, "fs", "app -> " },
		{ "app", "Gpu", "", INIT_ROUTE_DENIED, NULL, "no route matches" },
	};
	run_rows(m, rows, sizeof(rows) / sizeof(rows[0]));
	release(m);
}

TEST(MATRIX_0002, "requests of the servers: own routes first, then the default route")
{
	struct init_model *m = good(matrix_cfg);
	static const struct row rows[] = {
		{ "log", "LOG", "x", INIT_ROUTE_PARENT, NULL, "log -> x" },
		{ "log", "Timer", "", INIT_ROUTE_PARENT, NULL, "log -> " },
		/* log's <any-service><parent/> does not fit: on to the default route */
		{ "log", "File_system", "", INIT_ROUTE_CHILD, "fs", "log -> " },
		{ "timer", "LOG", "t", INIT_ROUTE_PARENT, NULL, "timer -> t" },
		{ "timer", "Vfs", "", INIT_ROUTE_CHILD, "vfs", "timer -> " },
		{ "fs", "LOG", "", INIT_ROUTE_CHILD, "log", "fs -> " },
		{ "fs", "Timer", "", INIT_ROUTE_PARENT, NULL, "fs -> " },
		{ "fs", "Vfs", "", INIT_ROUTE_CHILD, "vfs", "fs -> " },
		{ "fs", "File_system", "", INIT_ROUTE_DENIED, NULL, "no route matches" },   /* not to itself */
		{ "vfs", "File_system", "home -> docs", INIT_ROUTE_CHILD, "fs", "home" },
		{ "vfs", "File_system", "tmp", INIT_ROUTE_CHILD, "fs", "vfs-other -> tmp" },
		{ "vfs", "LOG", "", INIT_ROUTE_CHILD, "log", "vfs -> " },
		{ "vfs", "Vfs", "", INIT_ROUTE_DENIED, NULL, "no route matches" },
		{ "vfs", "ROM", "config", INIT_ROUTE_PARENT, NULL, "vfs -> config" },
	};
	run_rows(m, rows, sizeof(rows) / sizeof(rows[0]));
	release(m);
}

TEST(MATRIX_0003, "every child: parent services reach all, an unknown service none")
{
	struct init_model *m = good(matrix_cfg);
	static const char *const clients[] = { "log", "timer", "fs", "vfs", "app" };
	for (unsigned i = 0; i < 5; i++) {
		/* Timer comes from the parent: every route lists <parent/> before any child */
		struct routed *x = route(m, clients[i], "Timer", "t");
		CHECK_EQ(x->kind, INIT_ROUTE_PARENT);
		x = route(m, clients[i], "Gpu", "");
		CHECK_EQ(x->kind, INIT_ROUTE_DENIED);
		x = route(m, clients[i], "PD", "");
		CHECK_EQ(x->kind, INIT_ROUTE_PARENT);
		char want[64];
		snprintf(want, sizeof(want), "%s -> ", clients[i]);
		CHECK(!strcmp(x->label, want));
	}
	release(m);
}

/* ---- requests from init's parent ---------------------------------------- */

static const char svc_cfg[] =
	"<config>\n"
	"<start name=\"log\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/><provides><service name=\"LOG\"/></provides></start>\n"
	"<start name=\"log2\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/><provides><service name=\"LOG2\"/></provides></start>\n"
	"<service name=\"LOG\">\n"
	"  <policy label_prefix=\"secret\"> <child name=\"log\" label=\"classified\"/> </policy>\n"
	"  <policy label_last=\"dbg\"> <child name=\"log\"/> </policy>\n"
	"  <default-policy> <child name=\"log\"/> </default-policy>\n"
	"</service>\n"
	"<service name=\"LOG2\">\n"
	"  <policy label=\"only\"> <child name=\"log2\"/> </policy>\n"
	"</service>\n"
	"</config>\n";

static struct routed *route_parent(const struct init_model *m, const char *service, const char *label)
{
	struct routed *x = test_alloc(8, sizeof(*x));
	x->kind = init_route_parent_session(m, service, label, x->label, sizeof(x->label), &x->r);
	x->server = x->r.server ? x->r.server->name : NULL;
	return x;
}

TEST(PARENT_0001, "the first matching policy decides; its label rewrite applies")
{
	struct init_model *m = good(svc_cfg);
	struct routed *x = route_parent(m, "LOG", "secret -> x");
	CHECK_CHILD(x, "log", "classified");
	CHECK(x->r.policy == &init_model_service(m, "LOG")->policies[0]);
	release(m);
}

TEST(PARENT_0002, "the label from the parent reaches the child unchanged otherwise")
{
	struct init_model *m = good(svc_cfg);
	CHECK_CHILD(route_parent(m, "LOG", "a -> dbg"), "log", "a -> dbg");
	CHECK_CHILD(route_parent(m, "LOG", "anything"), "log", "anything");
	release(m);
}

TEST(PARENT_0003, "the default policy catches the rest; without it, no match is a denial")
{
	struct init_model *m = good(svc_cfg);
	CHECK(route_parent(m, "LOG", "z")->r.policy->is_default);
	CHECK_CHILD(route_parent(m, "LOG2", "only"), "log2", "only");
	struct routed *x = route_parent(m, "LOG2", "other");
	CHECK_DENIED(x, "no policy matches");
	release(m);
}

TEST(PARENT_0004, "a service init does not provide is denied")
{
	struct init_model *m = good(svc_cfg);
	CHECK_DENIED(route_parent(m, "Timer", "x"), "init does not provide the service");
	CHECK_DENIED(route_parent(m, "log", "x"), "init does not provide the service");
	release(m);
}

TEST(PARENT_0005, "bad labels from the parent are denied")
{
	struct init_model *m = good(svc_cfg);
	CHECK_DENIED(route_parent(m, "LOG", "a\nb"), "control characters");
	release(m);
}

/* ---- denials ------------------------------------------------------------ */

TEST(DENY_0001, "labels with control characters or too long are denied")
{
	struct init_model *m = net("", dflt_parent_then_child);
	CHECK_DENIED(route(m, "app", "LOG", "a\tb"), "control characters");
	CHECK_DENIED(route(m, "app", "LOG", "\x7f"), "control characters");
	char *big = test_alloc(1, INIT_LABEL_MAX + 1);
	memset(big, 'a', INIT_LABEL_MAX);
	CHECK_DENIED(route(m, "app", "LOG", big), "too long");
	big[INIT_LABEL_MAX - 1] = '\0';
	CHECK(init_label_valid(big));
	release(m);
}

TEST(DENY_0002, "an empty or bad service name is denied")
{
	struct init_model *m = net("", dflt_parent_then_child);
	CHECK_DENIED(route(m, "app", "", "x"), "service name");
	CHECK_DENIED(route(m, "app", "L\001G", "x"), "service name");
	release(m);
}

TEST(DENY_0003, "init_route_describe names client, service, outcome and route line")
{
	struct init_model *m = net("<route><service name=\"Nic\"><any-child/></service></route>", dflt_parent_then_child);
	char buf[256];
	struct routed *x = route(m, "app", "Nic", "h");
	init_route_describe(&x->r, "app", "Nic", x->label, buf, sizeof(buf));
	CHECK_MSG(!strcmp(buf, "'app' -> Nic: denied: no target of the matching route provides the service "
	                  "(route at line 7 col 69)"), "got %.200s", buf);
	x = route(m, "app", "Gui", "w");
	init_route_describe(&x->r, "app", "Gui", x->label, buf, sizeof(buf));
	CHECK_MSG(!strcmp(buf, "'app' -> Gui \"app -> w\": child 'gui'"), "got %.200s", buf);
	x = route(m, "app", "LOG", "l");
	init_route_describe(&x->r, "app", "LOG", x->label, buf, sizeof(buf));
	CHECK_MSG(!strcmp(buf, "'app' -> LOG \"app -> l\": parent"), "got %.200s", buf);
	x = route(m, "app", "Gpu", "");
	init_route_describe(&x->r, "app", "Gpu", x->label, buf, sizeof(buf));
	CHECK_MSG(!strcmp(buf, "'app' -> Gpu: denied: no route matches"), "got %.200s", buf);
	release(m);
}

TEST(DENY_0004, "init_route_describe for embedded configs and parent requests")
{
	struct init_model *m = good(svc_cfg);
	char buf[256];
	struct routed *x = route_parent(m, "LOG2", "nope");
	init_route_describe(&x->r, NULL, "LOG2", x->label, buf, sizeof(buf));
	CHECK_MSG(!strcmp(buf, "parent -> LOG2: denied: no policy matches"), "got %.200s", buf);
	release(m);
	m = good(matrix_cfg);
	x = route(m, "app", "ROM", "config");
	init_route_describe(&x->r, "app", "ROM", x->label, buf, sizeof(buf));
	CHECK_MSG(!strcmp(buf, "'app' -> ROM \"app -> config\": init (embedded config)"), "got %.200s", buf);
	release(m);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
