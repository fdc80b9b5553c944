// sources: base/src/config_parse.c base/src/config_query.c base/src/config_write.c os/init/model.c os/init/check.c os/init/parse.c os/init/start.c os/init/settle.c os/init/text.c os/init/route.c os/init/diff.c os/init/report.c os/init/policy.c
// cflags: -Ios/init
/*
 * Host tests of init's reconfiguration diff (os/init/diff.c): the actions
 * for every kind of config change, restarts caused by open sessions
 * (route changes, servers that go or restart, transitively), sessions init
 * serves its parent, the order of the actions, and allocation failures.
 *
 * Each case compares the whole plan, written as one line per action with
 * init_action_describe(), joined by "; ".
 *
 * Areas: DIFF (children and settings), SESS (open sessions), ORDER, DMEM.
 */
#include "init_common.h"

static char *plan_text(const struct init_model *old, const struct init_model *new, const struct init_runtime *rt)
{
	struct init_plan plan;
	char *out = test_alloc(1, 4096);
	size_t len = 0;

	CHECK(!new->rejected);
	CHECK_EQ(init_diff(old, new, rt, &th_mem, &plan), INIT_OK);
	for (size_t i = 0; i < plan.n; i++) {
		char line[256];
		init_action_describe(&plan.actions[i], line, sizeof(line));
		len += (size_t)snprintf(out + len, 4096 - len, "%s%s", i ? "; " : "", line);
	}
	init_plan_free(&plan);
	return out;
}

#define CHECK_PLAN(old, new, rt, want)                                            \
	do {                                                                      \
		char *got_ = plan_text((old), (new), (rt));                       \
		CHECK_MSG(!strcmp(got_, (want)), "plan [%.200s]", got_);           \
	} while (0)

/* A config of the given <start> nodes with the usual parent services. */
static struct init_model *cfg(const char *starts, const struct init_model *prev)
{
	char text[4096];
	snprintf(text, sizeof(text), "<config>" PARENT_PROVIDES
	         "<default-route><any-service><parent/><any-child/></any-service></default-route>%s</config>", starts);
	struct init_model *m = model_p(text, prev);
	if (m->errors)
		dump_errors(m);
	CHECK(!m->errors);
	return m;
}

static const char a1[] = "<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/></start>";
static const char b1[] = "<start name=\"b\" ram=\"1M\" caps=\"10\"><binary name=\"b\"/></start>";
static const char c1[] = "<start name=\"c\" ram=\"1M\" caps=\"10\"><binary name=\"c\"/></start>";

static struct init_model *cfg2(const char *x, const char *y, const struct init_model *prev)
{
	char s[2048];
	snprintf(s, sizeof(s), "%s%s", x, y);
	return cfg(s, prev);
}

/* The plan from a config of the <start> nodes old_x old_y to one of new_x
 * new_y must be `fwd`; if `back` is set, the plan back must be that. */
static void check_change(const char *old_x, const char *old_y, const char *new_x, const char *new_y,
                         const char *fwd, const char *back)
{
	struct init_model *v1 = cfg2(old_x, old_y, NULL), *v2 = cfg2(new_x, new_y, v1);
	CHECK_PLAN(v1, v2, NULL, fwd);
	if (back)
		CHECK_PLAN(v2, v1, NULL, back);
	release(v1);
	release(v2);
}

/* ---- children and their settings ---------------------------------------- */

TEST(DIFF_0001, "the first config starts every child in document order")
{
	struct init_model *m = cfg2(b1, a1, NULL);
	CHECK_PLAN(NULL, m, NULL, "start b; start a");
	release(m);
}

TEST(DIFF_0002, "the same config again: nothing to do")
{
	check_change(a1, b1,
	             a1, b1,
	             "", NULL);
}

TEST(DIFF_0003, "a new <start> node starts a child")
{
	check_change(a1, "",
	             a1, b1,
	             "start b", NULL);   /* b provides nothing: a's routes stay as they are */
}

TEST(DIFF_0004, "a removed <start> node destroys the child")
{
	check_change(a1, b1,
	             b1, "",
	             "destroy a", NULL);
}

TEST(DIFF_0005, "renaming a child is a destroy and a start")
{
	check_change(a1, "",
	             c1, "",
	             "destroy a; start c", NULL);
}

TEST(DIFF_0006, "a changed version restarts the child, also when it appears or disappears")
{
	struct init_model *v1 = cfg("<start name=\"a\" ram=\"1M\" caps=\"10\" version=\"1\"><binary name=\"a\"/></start>", NULL);
	struct init_model *v2 = cfg("<start name=\"a\" ram=\"1M\" caps=\"10\" version=\"2\"><binary name=\"a\"/></start>", v1);
	struct init_model *v3 = cfg(a1, v2);
	CHECK_PLAN(v1, v2, NULL, "restart a (version)");
	CHECK_PLAN(v2, v3, NULL, "restart a (version)");
	CHECK_PLAN(v3, v1, NULL, "restart a (version)");
	release(v1);
	release(v2);
	release(v3);
}

TEST(DIFF_0007, "a changed binary restarts the child")
{
	check_change(a1, "",
	             "<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a2\"/></start>", "",
	             "restart a (binary)", NULL);
}

TEST(DIFF_0008, "a changed priority restarts the child")
{
	char t1[512], t2[512];
	snprintf(t1, sizeof(t1), "<config prio_levels=\"2\">%s</config>", "<start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"a\"/></start>");
	snprintf(t2, sizeof(t2), "<config prio_levels=\"2\">%s</config>", "<start name=\"a\" ram=\"1M\" caps=\"1\" priority=\"-1\"><binary name=\"a\"/></start>");
	struct init_model *v1 = good(t1), *v2 = model_p(t2, v1);
	CHECK_PLAN(v1, v2, NULL, "restart a (priority)");
	release(v1);
	release(v2);
}

TEST(DIFF_0009, "raised RAM is transferred, lowered RAM reclaimed, by the difference")
{
	check_change(a1, "",
	             "<start name=\"a\" ram=\"3M\" caps=\"10\"><binary name=\"a\"/></start>", "",
	             "upgrade-ram a 2097152", "reclaim-ram a 2097152");
}

TEST(DIFF_0010, "raised and lowered caps")
{
	check_change(a1, "",
	             "<start name=\"a\" ram=\"1M\" caps=\"25\"><binary name=\"a\"/></start>", "",
	             "upgrade-caps a 15", "reclaim-caps a 15");
}

TEST(DIFF_0011, "RAM up and caps down at once: reclaim first, upgrade later")
{
	check_change(a1, "",
	             "<start name=\"a\" ram=\"2M\" caps=\"5\"><binary name=\"a\"/></start>", "",
	             "reclaim-caps a 5; upgrade-ram a 1048576", NULL);
}

TEST(DIFF_0012, "a restarted child gets its new quota with the restart, no quota actions")
{
	struct init_model *v1 = cfg(a1, NULL);
	struct init_model *v2 = cfg("<start name=\"a\" ram=\"2M\" caps=\"5\" version=\"x\"><binary name=\"a\"/></start>", v1);
	CHECK_PLAN(v1, v2, NULL, "restart a (version)");
	struct init_plan plan;
	CHECK_EQ(init_diff(v1, v2, NULL, &th_mem, &plan), INIT_OK);
	CHECK_EQ(plan.n, 1);
	CHECK(plan.actions[0].old_child == init_model_child(v1, "a"));
	CHECK(plan.actions[0].new_child == init_model_child(v2, "a"));
	CHECK_EQ(plan.actions[0].new_child->ram, 2 << 20);
	init_plan_free(&plan);
	release(v1);
	release(v2);
}

TEST(DIFF_0013, "a changed embedded <config> is delivered as an update")
{
	struct init_model *v1 = cfg("<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/><config n=\"1\"/></start>", NULL);
	struct init_model *v2 = cfg("<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/><config n=\"2\"/></start>", v1);
	CHECK_PLAN(v1, v2, NULL, "update-config a");
	struct init_plan plan;
	CHECK_EQ(init_diff(v1, v2, NULL, &th_mem, &plan), INIT_OK);
	CHECK(!strcmp(plan.actions[0].new_child->config, "<config n=\"2\"/>\n"));
	init_plan_free(&plan);
	release(v1);
	release(v2);
}

TEST(DIFF_0014, "a reformatted embedded <config> (comments, spacing, quotes) is no change")
{
	check_change("<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/><config n=\"1\"><x/></config></start>", "",
	             "<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/><config   n='1'>\n  <!-- c -->\n"
	                            "<x></x>\n</config></start>", "",
	             "", NULL);
}

TEST(DIFF_0015, "a changed config of a nested init's child is an update of the nested init's config")
{
	check_change("<start name=\"sub\" ram=\"4M\" caps=\"100\"><binary name=\"init\"/><config>"
	                            "<start name=\"x\" ram=\"1M\" caps=\"10\"><binary name=\"x\"/></start></config></start>", "",
	             "<start name=\"sub\" ram=\"4M\" caps=\"100\"><binary name=\"init\"/><config>"
	                            "<start name=\"x\" ram=\"2M\" caps=\"10\"><binary name=\"x\"/></start></config></start>", "",
	             "update-config sub", NULL);
}

TEST(DIFF_0016, "adding or removing an embedded <config> changes where ROM \"config\" goes")
{
	check_change(a1, "",
	             "<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/><config/></start>", "",
	             "update-routes a", "update-routes a");
}

TEST(DIFF_0017, "a changed <route> without open sessions updates the routes")
{
	check_change(a1, "",
	             "<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/>"
	                            "<route><service name=\"LOG\"><parent label=\"x\"/></service></route></start>", "",
	             "update-routes a", NULL);
}

TEST(DIFF_0018, "a changed <default-route> or <parent-provides> updates every child's routes")
{
	struct init_model *v1 = cfg2(a1, b1, NULL);
	char t[2048];
	snprintf(t, sizeof(t), "<config>" PARENT_PROVIDES
	         "<default-route><any-service><any-child/><parent/></any-service></default-route>%s%s</config>", a1, b1);
	struct init_model *v2 = model_p(t, v1);
	CHECK_PLAN(v1, v2, NULL, "update-routes a; update-routes b");
	snprintf(t, sizeof(t), "<config><parent-provides><service name=\"LOG\"/></parent-provides>"
	         "<default-route><any-service><parent/><any-child/></any-service></default-route>%s%s</config>", a1, b1);
	struct init_model *v3 = model_p(t, v1);
	CHECK_PLAN(v1, v3, NULL, "update-routes a; update-routes b");
	release(v1);
	release(v2);
	release(v3);
}

TEST(DIFF_0019, "a changed <provides> updates the routes of all children")
{
	check_change(a1, b1,
	             "<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/>"
	                             "<provides><service name=\"S\"/></provides></start>", b1,
	             "update-routes a; update-routes b", "update-routes a; update-routes b");
}

TEST(DIFF_0020, "heartbeat, restart policy and report settings need no action")
{
	struct init_model *v1 = cfg(a1, NULL);
	char t[2048];
	snprintf(t, sizeof(t), "<config>" PARENT_PROVIDES "<heartbeat rate_ms=\"100\"/><report child_ram=\"yes\"/>"
	         "<default-route><any-service><parent/><any-child/></any-service></default-route>"
	         "<start name=\"a\" ram=\"1M\" caps=\"10\" restart=\"always\"><binary name=\"a\"/><heartbeat restart_after=\"2\"/>"
	         "</start></config>");
	struct init_model *v2 = model_p(t, v1);
	CHECK_PLAN(v1, v2, NULL, "");
	release(v1);
	release(v2);
}

TEST(DIFF_0021, "a child kept with its previous settings (its new node has an error) is left alone")
{
	struct init_model *v1 = cfg2(a1, b1, NULL);
	char t[2048];
	snprintf(t, sizeof(t), "<config>" PARENT_PROVIDES
	         "<default-route><any-service><parent/><any-child/></any-service></default-route>"
	         "<start name=\"a\" ram=\"5M\" caps=\"10\" version=\"9\" oops=\"1\"><binary name=\"z\"/></start>%s</config>", b1);
	struct init_model *v2 = model_p(t, v1);
	CHECK(init_model_child(v2, "a")->carried);
	CHECK_PLAN(v1, v2, NULL, "");
	release(v1);
	release(v2);
}

TEST(DIFF_0022, "a child stopped because its kept settings fail too is destroyed")
{
	struct init_model *v1 = cfg("<start name=\"s\" ram=\"1M\" caps=\"10\"><binary name=\"s\"/><provides><service name=\"S\"/>"
	                            "</provides></start><start name=\"c\" ram=\"1M\" caps=\"10\"><binary name=\"c\"/>"
	                            "<route><service name=\"S\"><child name=\"s\"/></service></route></start>", NULL);
	char t[2048];
	snprintf(t, sizeof(t), "<config>" PARENT_PROVIDES "<start name=\"c\" ram=\"1M\" caps=\"10\"><binary name=\"c\"/>"
	         "<route><service name=\"S\"><child name=\"s\"/></service></route></start></config>");
	struct init_model *v2 = model_p(t, v1);
	CHECK_PLAN(v1, v2, NULL, "destroy s; destroy c");
	release(v1);
	release(v2);
}

/* ---- open sessions ------------------------------------------------------ */

static struct init_session_status sess(unsigned id, const char *client, const char *service, const char *client_label,
                                       enum init_peer server_kind, const char *server, const char *label,
                                       enum init_session_state state)
{
	struct init_session_status s = {
		.id = id, .service = service, .client_kind = client ? INIT_PEER_CHILD : INIT_PEER_PARENT,
		.client = client, .client_label = client_label, .server_kind = server_kind, .server = server,
		.label = label, .state = state, .ram = 4096, .caps = 2,
	};
	return s;
}

static struct init_runtime *rt_of(struct init_session_status *s, unsigned n)
{
	struct init_runtime *rt = test_alloc(8, sizeof(*rt));
	rt->sessions = s;
	rt->n_sessions = n;
	return rt;
}

#define AV INIT_SESSION_AVAILABLE
#define RQ INIT_SESSION_REQUESTED

static const char log_srv[] = "<start name=\"log\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/>"
                              "<provides><service name=\"LOG\"/></provides><route><any-service><parent/></any-service></route></start>";

/* Child a, beside log_srv, with <route> content r1, then r2, while the
 * session s is open: the plan must be `want`. */
static void check_reroute(const char *r1, const char *r2, struct init_session_status s, const char *want)
{
	char c1[1024], c2[1024];
	snprintf(c1, sizeof(c1), "<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/><route>%s</route></start>", r1);
	snprintf(c2, sizeof(c2), "<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/><route>%s</route></start>", r2);
	struct init_model *v1 = cfg2(log_srv, c1, NULL), *v2 = cfg2(log_srv, c2, v1);
	CHECK_PLAN(v1, v2, rt_of(&s, 1), want);
	release(v1);
	release(v2);
}

TEST(SESS_0001, "a route change that moves an open session restarts the client")
{
	struct init_model *v1 = cfg2(log_srv, "<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/>"
	                             "<route><service name=\"LOG\"><child name=\"log\"/></service></route></start>", NULL);
	struct init_model *v2 = cfg2(log_srv, "<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/>"
	                             "<route><service name=\"LOG\"><parent/></service></route></start>", v1);
	struct init_session_status s[] = { sess(1, "a", "LOG", "x", INIT_PEER_CHILD, "log", "a -> x", AV) };
	CHECK_PLAN(v1, v2, rt_of(s, 1), "restart a (route: LOG \"x\")");
	struct init_plan plan;
	CHECK_EQ(init_diff(v1, v2, rt_of(s, 1), &th_mem, &plan), INIT_OK);
	CHECK_EQ(plan.actions[0].why, INIT_WHY_ROUTE);
	CHECK(plan.actions[0].session == &s[0]);
	init_plan_free(&plan);
	release(v1);
	release(v2);
}

TEST(SESS_0002, "a route change with only a pending request re-routes it without a restart")
{
	check_reroute("<service name=\"LOG\"><child name=\"log\"/></service>",
	              "<service name=\"LOG\"><parent/></service>",
	              sess(1, "a", "LOG", "x", INIT_PEER_CHILD, "log", "a -> x", RQ),
	              "update-routes a");
}

TEST(SESS_0003, "a route change that leaves every open session where it is: no restart")
{
	check_reroute("<service name=\"LOG\"><child name=\"log\"/></service>",
	              "<service name=\"LOG\" label=\"y\"><parent/></service>"
	              "<service name=\"LOG\"><child name=\"log\"/></service>",
	              sess(1, "a", "LOG", "x", INIT_PEER_CHILD, "log", "a -> x", AV),
	              "update-routes a");
}

TEST(SESS_0004, "a changed label rewrite for an open session restarts the client")
{
	check_reroute("<service name=\"LOG\"><child name=\"log\"/></service>",
	              "<service name=\"LOG\"><child name=\"log\" label=\"anon\"/></service>",
	              sess(4, "a", "LOG", "x", INIT_PEER_CHILD, "log", "a -> x", AV),
	              "restart a (route: LOG \"x\")");
}

TEST(SESS_0005, "a session to the parent whose label rewrite changes in the default route")
{
	struct init_model *v1 = cfg(a1, NULL);
	char t[2048];
	snprintf(t, sizeof(t), "<config>" PARENT_PROVIDES
	         "<default-route><service name=\"LOG\"><parent label=\"all\"/></service>"
	         "<any-service><parent/><any-child/></any-service></default-route>%s</config>", a1);
	struct init_model *v2 = model_p(t, v1);
	struct init_session_status s[] = {
		sess(1, "a", "LOG", "", INIT_PEER_PARENT, NULL, "a -> ", AV),
		sess(2, "a", "ROM", "f", INIT_PEER_PARENT, NULL, "a -> f", AV),
	};
	CHECK_PLAN(v1, v2, rt_of(s, 2), "restart a (route: LOG \"\")");
	/* only the ROM session: it stays where it is */
	CHECK_PLAN(v1, v2, rt_of(&s[1], 1), "update-routes a");
	release(v1);
	release(v2);
}

TEST(SESS_0006, "a destroyed server restarts its clients with open sessions")
{
	struct init_model *v1 = cfg2(log_srv, a1, NULL);
	struct init_model *v2 = cfg(a1, v1);
	struct init_session_status s[] = { sess(1, "a", "LOG", "", INIT_PEER_CHILD, "log", "a -> ", AV) };
	CHECK_PLAN(v1, v2, rt_of(s, 1), "destroy log; restart a (server: LOG \"\")");
	release(v1);
	release(v2);
}

TEST(SESS_0007, "a restarted server restarts its clients, and theirs in turn")
{
	static const char s1[] = "<start name=\"log\" ram=\"1M\" caps=\"10\" version=\"1\"><binary name=\"log\"/>"
	                         "<provides><service name=\"LOG\"/></provides><route><any-service><parent/></any-service></route></start>";
	static const char s2[] = "<start name=\"log\" ram=\"1M\" caps=\"10\" version=\"2\"><binary name=\"log\"/>"
	                         "<provides><service name=\"LOG\"/></provides><route><any-service><parent/></any-service></route></start>";
	static const char mid[] = "<start name=\"mid\" ram=\"1M\" caps=\"10\"><binary name=\"mid\"/>"
	                          "<provides><service name=\"Mid\"/></provides></start>";
	static const char top[] = "<start name=\"top\" ram=\"1M\" caps=\"10\"><binary name=\"top\"/></start>";
	char t[4096];
	snprintf(t, sizeof(t), "%s%s%s%s", top, mid, s1, a1);
	struct init_model *v1 = cfg(t, NULL);
	snprintf(t, sizeof(t), "%s%s%s%s", top, mid, s2, a1);
	struct init_model *v2 = cfg(t, v1);
	struct init_session_status s[] = {
		sess(1, "top", "Mid", "", INIT_PEER_CHILD, "mid", "top -> ", AV),
		sess(2, "mid", "LOG", "", INIT_PEER_CHILD, "log", "mid -> ", AV),
		sess(3, "a", "ROM", "", INIT_PEER_PARENT, NULL, "a -> ", AV),
	};
	CHECK_PLAN(v1, v2, rt_of(s, 3), "restart top (server: Mid \"\"); restart mid (server: LOG \"\"); restart log (version)");
	release(v1);
	release(v2);
}

TEST(SESS_0008, "a restarted server does not restart clients whose requests are only pending")
{
	struct init_model *v1 = cfg2(log_srv, a1, NULL);
	struct init_model *v2 = cfg2("<start name=\"log\" ram=\"1M\" caps=\"10\" version=\"2\"><binary name=\"log\"/>"
	                             "<provides><service name=\"LOG\"/></provides><route><any-service><parent/></any-service></route></start>",
	                             a1, v1);
	struct init_session_status s[] = {
		sess(1, "a", "LOG", "", INIT_PEER_CHILD, "log", "a -> ", RQ),
		sess(2, "a", "LOG", "x", INIT_PEER_CHILD, "log", "a -> x", INIT_SESSION_DENIED),
		sess(3, "a", "LOG", "y", INIT_PEER_CHILD, "log", "a -> y", INIT_SESSION_CLOSING),
	};
	CHECK_PLAN(v1, v2, rt_of(s, 3), "restart log (version)");
	release(v1);
	release(v2);
}

TEST(SESS_0009, "removing the embedded <config> of a child that opened it restarts the child")
{
	struct init_model *v1 = cfg("<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/><config/></start>", NULL);
	struct init_model *v2 = cfg(a1, v1);
	struct init_session_status s[] = { sess(1, "a", "ROM", "config", INIT_PEER_INIT, NULL, "a -> config", AV) };
	CHECK_PLAN(v1, v2, rt_of(s, 1), "restart a (route: ROM \"config\")");
	/* with the config still there, the session stays */
	struct init_model *v3 = cfg("<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/><config x=\"1\"/></start>", v1);
	CHECK_PLAN(v1, v3, rt_of(s, 1), "update-config a");
	release(v1);
	release(v2);
	release(v3);
}

TEST(SESS_0010, "adding an embedded <config> while the child reads its config from the parent")
{
	struct init_model *v1 = cfg(a1, NULL);
	struct init_model *v2 = cfg("<start name=\"a\" ram=\"1M\" caps=\"10\"><binary name=\"a\"/><config/></start>", v1);
	struct init_session_status s[] = { sess(1, "a", "ROM", "config", INIT_PEER_PARENT, NULL, "a -> config", AV) };
	CHECK_PLAN(v1, v2, rt_of(s, 1), "restart a (route: ROM \"config\")");
	release(v1);
	release(v2);
}

TEST(SESS_0011, "a session that moves to another provider restarts the client")
{
	static const char l2[] = "<start name=\"log2\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/>"
	                         "<provides><service name=\"LOG\"/></provides></start>";
	char t[2048];
	snprintf(t, sizeof(t), "<config>" PARENT_PROVIDES
	         "<default-route><any-service><any-child/></any-service></default-route>%s%s</config>", log_srv, a1);
	struct init_model *v1 = good(t);
	snprintf(t, sizeof(t), "<config>" PARENT_PROVIDES
	         "<default-route><any-service><any-child/></any-service></default-route>%s%s</config>", l2, a1);
	struct init_model *v2 = model_p(t, v1);
	struct init_session_status s[] = { sess(1, "a", "LOG", "", INIT_PEER_CHILD, "log", "a -> ", AV) };
	CHECK_PLAN(v1, v2, rt_of(s, 1), "destroy log; restart a (server: LOG \"\"); start log2");
	release(v1);
	release(v2);
}

TEST(SESS_0012, "sessions of destroyed clients need nothing")
{
	struct init_model *v1 = cfg2(log_srv, a1, NULL);
	struct init_model *v2 = cfg(log_srv, v1);
	struct init_session_status s[] = { sess(1, "a", "LOG", "", INIT_PEER_CHILD, "log", "a -> ", AV) };
	CHECK_PLAN(v1, v2, rt_of(s, 1), "destroy a");
	release(v1);
	release(v2);
}

/* init serves LOG to its parent through child "log" */
static const char svc_v1[] =
	"<start name=\"log\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/><provides><service name=\"LOG\"/></provides></start>"
	"<start name=\"log2\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/><provides><service name=\"LOG2\"/></provides></start>"
	"<service name=\"LOG\"><default-policy><child name=\"log\"/></default-policy></service>";

TEST(SESS_0013, "a parent session ends when its server child is destroyed or restarted")
{
	struct init_model *v1 = cfg(svc_v1, NULL);
	struct init_model *v2 = cfg("<start name=\"log\" ram=\"1M\" caps=\"10\" version=\"2\"><binary name=\"log\"/>"
	                            "<provides><service name=\"LOG\"/></provides></start>"
	                            "<start name=\"log2\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/><provides><service name=\"LOG2\"/></provides></start>"
	                            "<service name=\"LOG\"><default-policy><child name=\"log\"/></default-policy></service>", v1);
	struct init_session_status s[] = { sess(9, NULL, "LOG", "outer -> x", INIT_PEER_CHILD, "log", "outer -> x", AV) };
	CHECK_PLAN(v1, v2, rt_of(s, 1), "close-parent-session 9 (LOG \"outer -> x\"); restart log (version)");
	struct init_model *v3 = cfg("<start name=\"log2\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/>"
	                            "<provides><service name=\"LOG2\"/></provides></start>", v1);
	CHECK_PLAN(v1, v3, rt_of(s, 1), "close-parent-session 9 (LOG \"outer -> x\"); destroy log; update-routes log2");
	release(v1);
	release(v2);
	release(v3);
}

TEST(SESS_0014, "a parent session ends when init's policy routes it elsewhere, stays otherwise")
{
	struct init_model *v1 = cfg(svc_v1, NULL);
	struct init_model *v2 = cfg("<start name=\"log\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/><provides><service name=\"LOG\"/></provides></start>"
	                            "<start name=\"log2\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/><provides><service name=\"LOG2\"/></provides></start>"
	                            "<service name=\"LOG\"><default-policy><child name=\"log\" label=\"hidden\"/></default-policy></service>", v1);
	struct init_session_status s[] = { sess(9, NULL, "LOG", "outer -> x", INIT_PEER_CHILD, "log", "outer -> x", AV) };
	CHECK_PLAN(v1, v2, rt_of(s, 1), "close-parent-session 9 (LOG \"outer -> x\")");
	struct init_model *v3 = cfg(svc_v1, v1);
	CHECK_PLAN(v1, v3, rt_of(s, 1), "");
	release(v1);
	release(v2);
	release(v3);
}

TEST(SESS_0015, "a parent session ends when init no longer provides the service")
{
	struct init_model *v1 = cfg(svc_v1, NULL);
	struct init_model *v2 = cfg("<start name=\"log\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/><provides><service name=\"LOG\"/></provides></start>"
	                            "<start name=\"log2\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/><provides><service name=\"LOG2\"/></provides></start>", v1);
	struct init_session_status s[] = { sess(3, NULL, "LOG", "p", INIT_PEER_CHILD, "log", "p", AV) };
	CHECK_PLAN(v1, v2, rt_of(s, 1), "close-parent-session 3 (LOG \"p\")");
	release(v1);
	release(v2);
}

/* ---- order -------------------------------------------------------------- */

TEST(ORDER_0001, "every kind of action at once, in the documented order")
{
	char t[4096];
	snprintf(t, sizeof(t), "%s"
	         "<start name=\"gone\" ram=\"1M\" caps=\"10\"><binary name=\"g\"/></start>"
	         "<start name=\"ver\" ram=\"1M\" caps=\"10\" version=\"1\"><binary name=\"v\"/></start>"
	         "<start name=\"less\" ram=\"4M\" caps=\"40\"><binary name=\"l\"/></start>"
	         "<start name=\"cfg\" ram=\"1M\" caps=\"10\"><binary name=\"c\"/><config a=\"1\"/></start>"
	         "<start name=\"rt\" ram=\"1M\" caps=\"10\"><binary name=\"r\"/></start>"
	         "<start name=\"more\" ram=\"1M\" caps=\"10\"><binary name=\"m\"/></start>", svc_v1);
	struct init_model *v1 = cfg(t, NULL);
	struct init_model *v2 = cfg("<start name=\"new\" ram=\"1M\" caps=\"10\"><binary name=\"n\"/></start>"
	         "<start name=\"more\" ram=\"2M\" caps=\"20\"><binary name=\"m\"/></start>"
	         "<start name=\"rt\" ram=\"1M\" caps=\"10\"><binary name=\"r\"/><route><any-service><parent/></any-service></route></start>"
	         "<start name=\"cfg\" ram=\"1M\" caps=\"10\"><binary name=\"c\"/><config a=\"2\"/></start>"
	         "<start name=\"less\" ram=\"2M\" caps=\"20\"><binary name=\"l\"/></start>"
	         "<start name=\"ver\" ram=\"1M\" caps=\"10\" version=\"2\"><binary name=\"v\"/></start>"
	         "<start name=\"log2\" ram=\"1M\" caps=\"10\"><binary name=\"log\"/><provides><service name=\"LOG2\"/></provides></start>",
	         v1);
	struct init_session_status s[] = { sess(5, NULL, "LOG", "o", INIT_PEER_CHILD, "log", "o", AV) };
	CHECK_PLAN(v1, v2, rt_of(s, 1),
	           "close-parent-session 5 (LOG \"o\"); destroy log; destroy gone; restart ver (version); "
	           "reclaim-ram less 2097152; reclaim-caps less 20; update-config cfg; "
	           "update-routes more; update-routes rt; update-routes cfg; update-routes less; update-routes log2; "
	           "upgrade-ram more 1048576; upgrade-caps more 10; start new");
	release(v1);
	release(v2);
}

TEST(ORDER_0002, "the action records carry the children of both models")
{
	struct init_model *v1 = cfg2(a1, b1, NULL);
	struct init_model *v2 = cfg2("<start name=\"a\" ram=\"2M\" caps=\"10\"><binary name=\"a\"/></start>", c1, v1);
	struct init_plan plan;
	CHECK_EQ(init_diff(v1, v2, NULL, &th_mem, &plan), INIT_OK);
	CHECK_EQ(plan.n, 3);
	CHECK_EQ(plan.actions[0].kind, INIT_ACT_DESTROY);
	CHECK(plan.actions[0].old_child == init_model_child(v1, "b") && plan.actions[0].new_child == NULL);
	CHECK_EQ(plan.actions[1].kind, INIT_ACT_UPGRADE_RAM);
	CHECK(plan.actions[1].old_child == init_model_child(v1, "a"));
	CHECK(plan.actions[1].new_child == init_model_child(v2, "a"));
	CHECK_EQ(plan.actions[1].amount, 1 << 20);
	CHECK_EQ(plan.actions[2].kind, INIT_ACT_START);
	CHECK(plan.actions[2].old_child == NULL && plan.actions[2].new_child == init_model_child(v2, "c"));
	CHECK(!strcmp(plan.actions[2].child, "c"));
	init_plan_free(&plan);
	release(v1);
	release(v2);
}

/* ---- allocation failures ------------------------------------------------ */

TEST(DMEM_0001, "a failing allocator gives INIT_NO_MEMORY and leaks nothing")
{
	struct init_model *v1 = cfg2(a1, b1, NULL), *v2 = cfg2(a1, c1, v1);
	size_t base = th_heap.outstanding;
	struct init_plan plan;
	for (long n = 0; n < 2; n++) {
		th_heap.allocs = 0;
		th_heap.fail_at = n;
		CHECK_EQ(init_diff(v1, v2, NULL, &th_mem, &plan), INIT_NO_MEMORY);
		th_heap.fail_at = -1;
		CHECK(plan.actions == NULL && plan.n == 0);
		CHECK_EQ(th_heap.outstanding, base);
	}
	CHECK_EQ(init_diff(v1, v2, NULL, &th_mem, &plan), INIT_OK);
	CHECK_EQ(plan.n, 2);
	init_plan_free(&plan);
	CHECK_EQ(th_heap.outstanding, base);
	release(v1);
	release(v2);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
