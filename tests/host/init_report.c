// sources: base/src/config_parse.c base/src/config_query.c base/src/config_write.c os/init/model.c os/init/check.c os/init/parse.c os/init/start.c os/init/settle.c os/init/text.c os/init/route.c os/init/diff.c os/init/report.c os/init/policy.c
// cflags: -Ios/init
/*
 * Host tests of init's state report (os/init/report.c), compared with the
 * expected text, and of the restart decisions after exits, faults and
 * missed heartbeats (os/init/policy.c).
 *
 * Areas: REPORT (state report), POLICY (restart decisions).
 */
#include "init_common.h"

static char *report_text(const struct init_model *m, const struct init_runtime *rt)
{
	char *buf = test_alloc(1, 8192);
	struct cfg_writer w;
	cfg_writer_init(&w, buf, 8192);
	CHECK(init_report(&w, m, rt));
	return buf;
}

#define CHECK_REPORT(m, rt, want)                                                 \
	do {                                                                      \
		char *got_ = report_text((m), (rt));                              \
		if (strcmp(got_, (want)))                                         \
			printf("got:\n%s\nwant:\n%s\n", got_, (want));            \
		CHECK(!strcmp(got_, (want)));                                     \
	} while (0)

static struct init_model *with_report(const char *report)
{
	char t[512];
	snprintf(t, sizeof(t), "<config>%s</config>", report);
	return good(t);
}

static struct init_child_status child(const char *name, enum init_child_state state)
{
	struct init_child_status c = {
		.name = name, .binary = name, .state = state,
		.ram_assigned = 1 << 20, .ram_used = 3 << 18, .caps_assigned = 100, .caps_used = 40,
	};
	return c;
}

/* ---- the state report --------------------------------------------------- */

TEST(REPORT_0001, "no children, no details: the version alone")
{
	struct init_model *m = with_report("<report/>");
	struct init_runtime rt = { .version = "1" };
	CHECK_REPORT(m, &rt, "<state version=\"1\"/>\n");
	rt.version = NULL;
	CHECK_REPORT(m, &rt, "<state/>\n");
	release(m);
}

TEST(REPORT_0002, "init's own quota")
{
	struct init_model *m = with_report("<report init_ram=\"yes\" init_caps=\"yes\"/>");
	struct init_runtime rt = { .version = "", .ram_quota = 8 << 20, .ram_used = 1 << 20,
	                           .caps_quota = 1000, .caps_used = 1200 };
	CHECK_REPORT(m, &rt,
	             "<state version=\"\">\n"
	             "  <init ram_quota=\"8388608\" ram_used=\"1048576\" ram_avail=\"7340032\" caps_quota=\"1000\" "
	             "caps_used=\"1200\" caps_avail=\"0\"/>\n"
	             "</state>\n");
	release(m);
	m = with_report("<report init_caps=\"yes\"/>");
	CHECK_REPORT(m, &rt, "<state version=\"\">\n  <init caps_quota=\"1000\" caps_used=\"1200\" caps_avail=\"0\"/>\n</state>\n");
	release(m);
}

TEST(REPORT_0003, "children with their state, without quota details")
{
	struct init_model *m = with_report("<report/>");
	struct init_child_status c[] = { child("timer", INIT_CHILD_RUNNING), child("app", INIT_CHILD_INCOMPLETE) };
	struct init_runtime rt = { .version = "3", .children = c, .n_children = 2 };
	CHECK_REPORT(m, &rt,
	             "<state version=\"3\">\n"
	             "  <child name=\"timer\" binary=\"timer\" state=\"running\"/>\n"
	             "  <child name=\"app\" binary=\"app\" state=\"incomplete\"/>\n"
	             "</state>\n");
	release(m);
}

TEST(REPORT_0004, "RAM and caps of each child: assigned, used, available")
{
	struct init_model *m = with_report("<report child_ram=\"yes\" child_caps=\"yes\"/>");
	struct init_child_status c[] = { child("a", INIT_CHILD_RUNNING), child("b", INIT_CHILD_RUNNING) };
	c[1].ram_used = c[1].ram_assigned + 4096;   /* mid-reclaim: used above assigned shows 0 available */
	struct init_runtime rt = { .version = "1", .children = c, .n_children = 2 };
	CHECK_REPORT(m, &rt,
	             "<state version=\"1\">\n"
	             "  <child name=\"a\" binary=\"a\" state=\"running\">\n"
	             "    <ram assigned=\"1048576\" used=\"786432\" avail=\"262144\"/>\n"
	             "    <caps assigned=\"100\" used=\"40\" avail=\"60\"/>\n"
	             "  </child>\n"
	             "  <child name=\"b\" binary=\"b\" state=\"running\">\n"
	             "    <ram assigned=\"1048576\" used=\"1052672\" avail=\"0\"/>\n"
	             "    <caps assigned=\"100\" used=\"40\" avail=\"60\"/>\n"
	             "  </child>\n"
	             "</state>\n");
	release(m);
}

TEST(REPORT_0005, "exit values, faults and start failures")
{
	struct init_model *m = with_report("<report/>");
	struct init_child_status c[] = {
		child("e0", INIT_CHILD_EXITED), child("e1", INIT_CHILD_EXITED),
		child("f", INIT_CHILD_FAULTED), child("x", INIT_CHILD_FAILED), child("y", INIT_CHILD_FAILED),
	};
	c[0].exit_value = 0;
	c[1].exit_value = -12;
	c[2].reason = "page fault at 0x10 (read)";
	c[3].reason = "binary 'x' not found";
	c[1].reason = "not shown for exits";
	struct init_runtime rt = { .version = "1", .children = c, .n_children = 5 };
	CHECK_REPORT(m, &rt,
	             "<state version=\"1\">\n"
	             "  <child name=\"e0\" binary=\"e0\" state=\"exited\" exit=\"0\"/>\n"
	             "  <child name=\"e1\" binary=\"e1\" state=\"exited\" exit=\"-12\"/>\n"
	             "  <child name=\"f\" binary=\"f\" state=\"faulted\" reason=\"page fault at 0x10 (read)\"/>\n"
	             "  <child name=\"x\" binary=\"x\" state=\"failed\" reason=\"binary 'x' not found\"/>\n"
	             "  <child name=\"y\" binary=\"y\" state=\"failed\"/>\n"
	             "</state>\n");
	release(m);
}

TEST(REPORT_0006, "the most negative exit value")
{
	struct init_model *m = with_report("<report/>");
	struct init_child_status c[] = { child("e", INIT_CHILD_EXITED) };
	c[0].exit_value = INT32_MIN;
	struct init_runtime rt = { .version = "1", .children = c, .n_children = 1 };
	CHECK_REPORT(m, &rt, "<state version=\"1\">\n  <child name=\"e\" binary=\"e\" state=\"exited\" exit=\"-2147483648\"/>\n</state>\n");
	release(m);
}

TEST(REPORT_0007, "skipped heartbeats and restarts appear when not 0")
{
	struct init_model *m = with_report("<report/>");
	struct init_child_status c[] = { child("a", INIT_CHILD_RUNNING), child("b", INIT_CHILD_RUNNING) };
	c[0].skipped_heartbeats = 2;
	c[0].restarts = 1;
	struct init_runtime rt = { .version = "1", .children = c, .n_children = 2 };
	CHECK_REPORT(m, &rt,
	             "<state version=\"1\">\n"
	             "  <child name=\"a\" binary=\"a\" state=\"running\" skipped_heartbeats=\"2\" restarts=\"1\"/>\n"
	             "  <child name=\"b\" binary=\"b\" state=\"running\"/>\n"
	             "</state>\n");
	release(m);
}

static struct init_session_status s(const char *client, const char *service, enum init_peer sk, const char *server,
                                    const char *label, enum init_session_state st)
{
	struct init_session_status x = {
		.service = service, .client_kind = client ? INIT_PEER_CHILD : INIT_PEER_PARENT, .client = client,
		.client_label = "", .server_kind = sk, .server = server, .label = label, .state = st,
		.ram = 8192, .caps = 3,
	};
	return x;
}

static struct init_session_status sessions[] = {
	{ .service = "LOG", .client_kind = INIT_PEER_CHILD, .client = "app", .server_kind = INIT_PEER_CHILD,
	  .server = "log", .label = "app -> ", .state = INIT_SESSION_AVAILABLE, .ram = 8192, .caps = 3 },
	{ .service = "ROM", .client_kind = INIT_PEER_CHILD, .client = "app", .server_kind = INIT_PEER_INIT,
	  .label = "app -> config", .state = INIT_SESSION_AVAILABLE },
	{ .service = "Timer", .client_kind = INIT_PEER_CHILD, .client = "app", .server_kind = INIT_PEER_PARENT,
	  .label = "app -> ", .state = INIT_SESSION_REQUESTED },
	{ .service = "LOG", .client_kind = INIT_PEER_PARENT, .server_kind = INIT_PEER_CHILD, .server = "log",
	  .label = "outer -> x", .state = INIT_SESSION_CLOSING, .ram = 4096, .caps = 1 },
	{ .service = "Gpu", .client_kind = INIT_PEER_CHILD, .client = "log", .server_kind = INIT_PEER_PARENT,
	  .label = "log -> ", .state = INIT_SESSION_DENIED },
};

TEST(REPORT_0008, "requested sessions of each child, with their server and state")
{
	struct init_model *m = with_report("<report requested=\"yes\"/>");
	struct init_child_status c[] = { child("log", INIT_CHILD_RUNNING), child("app", INIT_CHILD_RUNNING) };
	struct init_runtime rt = { .version = "2", .children = c, .n_children = 2, .sessions = sessions, .n_sessions = 5 };
	CHECK_REPORT(m, &rt,
	             "<state version=\"2\">\n"
	             "  <child name=\"log\" binary=\"log\" state=\"running\">\n"
	             "    <requested>\n"
	             "      <session service=\"Gpu\" label=\"log -&gt; \" server=\"parent\" state=\"denied\"/>\n"
	             "    </requested>\n"
	             "  </child>\n"
	             "  <child name=\"app\" binary=\"app\" state=\"running\">\n"
	             "    <requested>\n"
	             "      <session service=\"LOG\" label=\"app -&gt; \" server=\"log\" state=\"available\"/>\n"
	             "      <session service=\"ROM\" label=\"app -&gt; config\" server=\"init\" state=\"available\"/>\n"
	             "      <session service=\"Timer\" label=\"app -&gt; \" server=\"parent\" state=\"requested\"/>\n"
	             "    </requested>\n"
	             "  </child>\n"
	             "</state>\n");
	release(m);
}

TEST(REPORT_0009, "provided sessions of each child, with their client and donated quota")
{
	struct init_model *m = with_report("<report provided=\"yes\"/>");
	struct init_child_status c[] = { child("log", INIT_CHILD_RUNNING), child("app", INIT_CHILD_RUNNING) };
	struct init_runtime rt = { .version = "2", .children = c, .n_children = 2, .sessions = sessions, .n_sessions = 5 };
	CHECK_REPORT(m, &rt,
	             "<state version=\"2\">\n"
	             "  <child name=\"log\" binary=\"log\" state=\"running\">\n"
	             "    <provided>\n"
	             "      <session service=\"LOG\" label=\"app -&gt; \" client=\"app\" state=\"available\" ram=\"8192\" caps=\"3\"/>\n"
	             "      <session service=\"LOG\" label=\"outer -&gt; x\" client=\"parent\" state=\"closing\" ram=\"4096\" caps=\"1\"/>\n"
	             "    </provided>\n"
	             "  </child>\n"
	             "  <child name=\"app\" binary=\"app\" state=\"running\"/>\n"
	             "</state>\n");
	release(m);
}

TEST(REPORT_0010, "config errors with position, child and consequence; errors=\"no\" hides them")
{
	struct init_model *bad = model("<config>\n<report/>\n<start name=\"a\" ram=\"1M\"><binary name=\"a\"/></start>\n</config>");
	struct init_runtime rt = { .version = "4", .errors = bad->errors };
	CHECK_REPORT(bad, &rt,
	             "<state version=\"4\">\n"
	             "  <error line=\"3\" col=\"1\" child=\"a\" msg=\"missing attribute 'caps' in &lt;start&gt; (and no "
	             "&lt;default caps=...&gt;)\" outcome=\"the child is not started\"/>\n"
	             "</state>\n");
	struct init_model *m = with_report("<report errors=\"no\"/>");
	CHECK_REPORT(m, &rt, "<state version=\"4\"/>\n");
	release(m);
	release(bad);
}

TEST(REPORT_0011, "a rejected config: its version and errors with the running children")
{
	struct init_model *cur = with_report("<report/>");
	struct init_model *bad = model_p("<config version=\"5\">\n  <strat/>\n</config>", cur);
	CHECK(bad->rejected);
	struct init_child_status c[] = { child("a", INIT_CHILD_RUNNING) };
	struct init_runtime rt = { .version = bad->version, .errors = bad->errors, .children = c, .n_children = 1 };
	CHECK_REPORT(cur, &rt,
	             "<state version=\"5\">\n"
	             "  <child name=\"a\" binary=\"a\" state=\"running\"/>\n"
	             "  <error line=\"2\" col=\"3\" msg=\"unknown node &lt;strat&gt; in &lt;config&gt;\" "
	             "outcome=\"the new config is ignored\"/>\n"
	             "</state>\n");
	release(bad);
	release(cur);
}

TEST(REPORT_0012, "labels and names are escaped")
{
	struct init_model *m = with_report("<report requested=\"yes\"/>");
	struct init_child_status c[] = { child("a&b", INIT_CHILD_RUNNING) };
	struct init_session_status x[] = { s("a&b", "LOG", INIT_PEER_PARENT, NULL, "a&b -> \"<x>\"", INIT_SESSION_AVAILABLE) };
	struct init_runtime rt = { .version = "'", .children = c, .n_children = 1, .sessions = x, .n_sessions = 1 };
	CHECK_REPORT(m, &rt,
	             "<state version=\"'\">\n"
	             "  <child name=\"a&amp;b\" binary=\"a&amp;b\" state=\"running\">\n"
	             "    <requested>\n"
	             "      <session service=\"LOG\" label=\"a&amp;b -&gt; &quot;&lt;x&gt;&quot;\" server=\"parent\" state=\"available\"/>\n"
	             "    </requested>\n"
	             "  </child>\n"
	             "</state>\n");
	release(m);
}

TEST(REPORT_0013, "the report parses back into the same facts")
{
	struct init_model *m = with_report("<report requested=\"yes\" provided=\"yes\" child_ram=\"yes\" child_caps=\"yes\" "
	                                   "init_ram=\"yes\" init_caps=\"yes\"/>");
	struct init_child_status c[] = { child("log", INIT_CHILD_RUNNING), child("app", INIT_CHILD_EXITED) };
	struct init_runtime rt = { .version = "9", .children = c, .n_children = 2, .sessions = sessions, .n_sessions = 5,
	                           .ram_quota = 100, .ram_used = 10, .caps_quota = 10, .caps_used = 1 };
	char *text = report_text(m, &rt);
	size_t len = strlen(text);
	void *arena = test_alloc(8, cfg_arena_size(len));
	struct cfg_error err;
	struct cfg_node *root = cfg_parse(text, len, arena, cfg_arena_size(len), &err);
	CHECK(root != NULL);
	CHECK(cfg_is(root, "state"));
	CHECK(cfg_attr_is(root, "version", "9"));
	CHECK_EQ(cfg_child_count(root, "child"), 2);
	struct cfg_node *app = cfg_next(cfg_child(root, "child"), "child");
	CHECK(cfg_attr_is(app, "state", "exited"));
	CHECK_EQ(cfg_child_count(cfg_child(app, "requested"), "session"), 3);
	uint64_t v;
	CHECK_EQ(cfg_attr_u64(cfg_child(app, "ram"), "avail", 0, &v), 1);
	CHECK_EQ(v, 262144);
	release(m);
}

TEST(REPORT_0014, "a buffer too small: false, and the text stays terminated")
{
	struct init_model *m = with_report("<report child_ram=\"yes\"/>");
	struct init_child_status c[] = { child("timer", INIT_CHILD_RUNNING) };
	struct init_runtime rt = { .version = "1", .children = c, .n_children = 1 };
	char buf[32];
	struct cfg_writer w;
	memset(buf, 'x', sizeof(buf));
	cfg_writer_init(&w, buf, sizeof(buf));
	CHECK(!init_report(&w, m, &rt));
	CHECK(memchr(buf, '\0', sizeof(buf)) != NULL);
	CHECK(w.len > sizeof(buf));
	/* with the length it asked for, it fits */
	char *big = test_alloc(1, w.len + 1);
	cfg_writer_init(&w, big, w.len + 1);
	CHECK(init_report(&w, m, &rt));
	release(m);
}

TEST(REPORT_0015, "state names")
{
	CHECK(!strcmp(init_child_state_name(INIT_CHILD_INCOMPLETE), "incomplete"));
	CHECK(!strcmp(init_child_state_name(INIT_CHILD_RUNNING), "running"));
	CHECK(!strcmp(init_child_state_name(INIT_CHILD_EXITED), "exited"));
	CHECK(!strcmp(init_child_state_name(INIT_CHILD_FAULTED), "faulted"));
	CHECK(!strcmp(init_child_state_name(INIT_CHILD_FAILED), "failed"));
	CHECK(!strcmp(init_session_state_name(INIT_SESSION_REQUESTED), "requested"));
	CHECK(!strcmp(init_session_state_name(INIT_SESSION_AVAILABLE), "available"));
	CHECK(!strcmp(init_session_state_name(INIT_SESSION_DENIED), "denied"));
	CHECK(!strcmp(init_session_state_name(INIT_SESSION_CLOSING), "closing"));
}

TEST(REPORT_0016, "a full report of a small system")
{
	struct init_model *m = good("<config version=\"12\">\n" PARENT_PROVIDES
	        "<report requested=\"yes\" provided=\"yes\" child_ram=\"yes\" child_caps=\"yes\" init_ram=\"yes\"/>\n"
	        "<start name=\"timer\" ram=\"1M\" caps=\"100\"><binary name=\"timer\"/><provides><service name=\"Timer\"/></provides>"
	        "<route><any-service><parent/></any-service></route></start>\n"
	        "<start name=\"app\" ram=\"2M\" caps=\"50\"><binary name=\"app\"/><route><service name=\"Timer\"><child name=\"timer\"/>"
	        "</service><any-service><parent/></any-service></route></start>\n</config>");
	struct init_child_status c[] = {
		{ .name = "timer", .binary = "timer", .state = INIT_CHILD_RUNNING, .ram_assigned = 1 << 20,
		  .ram_used = 40960, .caps_assigned = 100, .caps_used = 17 },
		{ .name = "app", .binary = "app", .state = INIT_CHILD_RUNNING, .ram_assigned = 2 << 20,
		  .ram_used = 8192, .caps_assigned = 50, .caps_used = 9, .restarts = 2 },
	};
	struct init_session_status x[] = {
		{ .service = "LOG", .client_kind = INIT_PEER_CHILD, .client = "timer", .server_kind = INIT_PEER_PARENT,
		  .label = "timer -> ", .state = INIT_SESSION_AVAILABLE },
		{ .service = "Timer", .client_kind = INIT_PEER_CHILD, .client = "app", .server_kind = INIT_PEER_CHILD,
		  .server = "timer", .label = "app -> ", .state = INIT_SESSION_AVAILABLE, .ram = 4096, .caps = 2 },
	};
	struct init_runtime rt = { .version = m->version, .ram_quota = 16 << 20, .ram_used = 3 << 20,
	                           .children = c, .n_children = 2, .sessions = x, .n_sessions = 2 };
	CHECK_REPORT(m, &rt,
	             "<state version=\"12\">\n"
	             "  <init ram_quota=\"16777216\" ram_used=\"3145728\" ram_avail=\"13631488\"/>\n"
	             "  <child name=\"timer\" binary=\"timer\" state=\"running\">\n"
	             "    <ram assigned=\"1048576\" used=\"40960\" avail=\"1007616\"/>\n"
	             "    <caps assigned=\"100\" used=\"17\" avail=\"83\"/>\n"
	             "    <requested>\n"
	             "      <session service=\"LOG\" label=\"timer -&gt; \" server=\"parent\" state=\"available\"/>\n"
	             "    </requested>\n"
	             "    <provided>\n"
	             "      <session service=\"Timer\" label=\"app -&gt; \" client=\"app\" state=\"available\" ram=\"4096\" caps=\"2\"/>\n"
	             "    </provided>\n"
	             "  </child>\n"
	             "  <child name=\"app\" binary=\"app\" state=\"running\" restarts=\"2\">\n"
	             "    <ram assigned=\"2097152\" used=\"8192\" avail=\"2088960\"/>\n"
	             "    <caps assigned=\"50\" used=\"9\" avail=\"41\"/>\n"
	             "    <requested>\n"
	             "      <session service=\"Timer\" label=\"app -&gt; \" server=\"timer\" state=\"available\"/>\n"
	             "    </requested>\n"
	             "  </child>\n"
	             "</state>\n");
	release(m);
}

/* ---- restart decisions -------------------------------------------------- */

static const char policy_cfg[] =
	"<config><heartbeat rate_ms=\"1000\"/>"
	"<start name=\"never\" ram=\"1M\" caps=\"1\"><binary name=\"x\"/><heartbeat/></start>"
	"<start name=\"exit\" ram=\"1M\" caps=\"1\" restart=\"on_exit\"><binary name=\"x\"/><heartbeat restart_after=\"3\"/></start>"
	"<start name=\"fault\" ram=\"1M\" caps=\"1\" restart=\"on_fault\"><binary name=\"x\"/></start>"
	"<start name=\"always\" ram=\"1M\" caps=\"1\" restart=\"always\"><binary name=\"x\"/><heartbeat restart_after=\"1\"/></start>"
	"</config>";

/* report_text with room for a few hundred children */
static char *big_report_text(const struct init_model *m, const struct init_runtime *rt)
{
	char *buf = test_alloc(1, 1 << 20);
	struct cfg_writer w;
	cfg_writer_init(&w, buf, 1 << 20);
	CHECK(init_report(&w, m, rt));
	return buf;
}

TEST(REPORT_0017, "with init_runtime_link, the same report as by searching, also for many children")
{
	struct init_model *m = with_report("<report requested=\"yes\" provided=\"yes\"/>");
	struct init_child_status c[] = { child("log", INIT_CHILD_RUNNING), child("app", INIT_CHILD_RUNNING) };
	struct init_session_status x[5];
	memcpy(x, sessions, sizeof(x));
	/* client / server indices as the runtime sets them: log 0, app 1 */
	int client[5] = { 1, 1, 1, -1, 0 }, server[5] = { 0, -1, -1, 0, -1 };
	for (unsigned i = 0; i < 5; i++) {
		x[i].client_index = client[i];
		x[i].server_index = server[i];
	}
	struct init_runtime searched = { .version = "2", .children = c, .n_children = 2, .sessions = sessions,
	                                 .n_sessions = 5 };
	char *want = report_text(m, &searched);
	init_runtime_link(c, 2, x, 5);
	CHECK_EQ(c[0].first_requested, 4);
	CHECK_EQ(c[0].first_provided, 0);
	CHECK_EQ(x[0].next_provided, 3);
	CHECK_EQ(c[1].first_provided, -1);
	struct init_runtime linked = { .version = "2", .children = c, .n_children = 2, .sessions = x,
	                               .n_sessions = 5, .linked = true };
	char *got = report_text(m, &linked);
	CHECK(want && got && !strcmp(want, got));

	/* 300 children, each the client of the next one's service: the same
	 * text either way */
	enum { N = 300 };
	static struct init_child_status cc[N];
	static struct init_session_status ss[N];
	static char names[N][8];
	for (unsigned i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "c%u", i);
		cc[i] = child(names[i], INIT_CHILD_RUNNING);
	}
	for (unsigned i = 0; i < N; i++) {
		ss[i] = s(names[i], "LOG", INIT_PEER_CHILD, names[(i + 1) % N], names[i], INIT_SESSION_AVAILABLE);
		ss[i].client_index = (int)i;
		ss[i].server_index = (int)((i + 1) % N);
	}
	struct init_runtime big = { .version = "3", .children = cc, .n_children = N, .sessions = ss, .n_sessions = N };
	want = big_report_text(m, &big);
	init_runtime_link(cc, N, ss, N);
	big.linked = true;
	got = big_report_text(m, &big);
	CHECK(want && got && !strcmp(want, got));
	release(m);
}

TEST(POLICY_0001, "restart after an exit only with on_exit or always")
{
	struct init_model *m = good(policy_cfg);
	CHECK(!init_restart_after_exit(init_model_child(m, "never")));
	CHECK(init_restart_after_exit(init_model_child(m, "exit")));
	CHECK(!init_restart_after_exit(init_model_child(m, "fault")));
	CHECK(init_restart_after_exit(init_model_child(m, "always")));
	release(m);
}

TEST(POLICY_0002, "restart after a fault only with on_fault or always")
{
	struct init_model *m = good(policy_cfg);
	CHECK(!init_restart_after_fault(init_model_child(m, "never")));
	CHECK(!init_restart_after_fault(init_model_child(m, "exit")));
	CHECK(init_restart_after_fault(init_model_child(m, "fault")));
	CHECK(init_restart_after_fault(init_model_child(m, "always")));
	release(m);
}

TEST(POLICY_0003, "heartbeats go to children with <heartbeat> while <heartbeat rate_ms> is set")
{
	struct init_model *m = good(policy_cfg);
	CHECK(init_heartbeat_monitored(m, init_model_child(m, "never")));
	CHECK(init_heartbeat_monitored(m, init_model_child(m, "exit")));
	CHECK(!init_heartbeat_monitored(m, init_model_child(m, "fault")));
	release(m);
	m = good("<config><start name=\"a\" ram=\"1M\" caps=\"1\"><binary name=\"x\"/><heartbeat restart_after=\"1\"/></start></config>");
	CHECK(!init_heartbeat_monitored(m, m->children[0]));
	CHECK(!init_restart_after_skipped_beats(m, m->children[0], 100));
	release(m);
}

TEST(POLICY_0004, "restart after restart_after skipped beats, never without the attribute")
{
	struct init_model *m = good(policy_cfg);
	const struct init_child *exit = init_model_child(m, "exit"), *always = init_model_child(m, "always");
	CHECK(!init_restart_after_skipped_beats(m, exit, 0));
	CHECK(!init_restart_after_skipped_beats(m, exit, 2));
	CHECK(init_restart_after_skipped_beats(m, exit, 3));
	CHECK(init_restart_after_skipped_beats(m, exit, 4));
	CHECK(!init_restart_after_skipped_beats(m, always, 0));
	CHECK(init_restart_after_skipped_beats(m, always, 1));
	CHECK(!init_restart_after_skipped_beats(m, init_model_child(m, "never"), 1000));
	CHECK(!init_restart_after_skipped_beats(m, init_model_child(m, "fault"), 1000));
	release(m);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
