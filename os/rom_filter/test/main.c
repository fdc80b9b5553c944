/*
 * rom_filter_test: rom_filter derives a config from reports. Started by
 * core as init; report_rom and rom_filter are its children (testbed.h).
 * The test submits reports to report_rom; rom_filter reads them as ROMs
 * through report_rom's policies, provides its output as a ROM and reports
 * it back to report_rom; the test reads both.
 *
 * Ordering without timing: a report's submission signals rom_filter
 * before report_rom answers the submission, and rom_filter (one thread)
 * handles that signal before the next request of ours, so a ROM fetched
 * from rom_filter after a submission reflects it.
 */
#include <argil/kernel.h>
#include <report_session.h>
#include <argil/rom.h>
#include "testbed.h"

#define KB 1024ul
#define MB (1024 * KB)
#define PRIO 100

static struct tb_child *rr, *rf;
static cptr_t ntfn;
static cptr_t bits[62];

static const char *rr_config =
	"<config verbose=\"yes\">\n"
	"  <policy label=\"rom_filter -> keyboard\" report=\"test -> keyboard\"/>\n"
	"  <policy label=\"rom_filter -> system\" report=\"test -> system\"/>\n"
	"  <policy label=\"test -> derived\" report=\"rom_filter -> derived\"/>\n"
	"  <policy label=\"second -> derived\" report=\"rom_filter -> derived\"/>\n"
	"</config>\n";

static const char *rf_config =
	"<config verbose=\"yes\" report=\"derived\">\n"
	"  <input name=\"layout\" rom=\"keyboard\" node=\"keyboard\">\n"
	"    <attribute name=\"layout\"/>\n"
	"  </input>\n"
	"  <input name=\"state\" rom=\"system\" node=\"system\">\n"
	"    <attribute name=\"state\"/>\n"
	"  </input>\n"
	"  <output node=\"config\">\n"
	"    <attribute name=\"verbose\" value=\"no\"/>\n"
	"    <if> <has_value input=\"layout\" value=\"de\"/>\n"
	"      <then> <node type=\"map\"> <attribute name=\"file\" value=\"de.map\"/> </node> </then>\n"
	"      <else> <node type=\"map\"> <attribute name=\"file\" input=\"layout\"/> </node> </else>\n"
	"    </if>\n"
	"    <if> <has_input input=\"state\"/>\n"
	"      <then> <node type=\"system\"> <attribute name=\"state\" input=\"state\"/> </node> </then>\n"
	"    </if>\n"
	"  </output>\n"
	"</config>\n";

/* ROM requests of the children go to report_rom (both it and rom_filter
 * provide ROM), except their config. */
static void route(struct tb_child *client, const char *service, const char *label,
		  struct tb_route *r)
{
	tb_route_default(client, service, label, r);
	if (r->kind == TB_CHILD && !strcmp(service, "ROM"))
		r->server = rr;
}

static void setup(void)
{
	tb_signal_bits(&ntfn, bits);
	tb_route_hook = route;
	CHECK_OK(tb_start(&rr, "report_rom", "report_rom", 2 * MB, 256, 200, rr_config));
	CHECK(tb_wait_announce(rr, "ROM"));
	CHECK_OK(tb_start(&rf, "rom_filter", "rom_filter", 2 * MB, 256, PRIO, rf_config));
	CHECK(tb_wait_announce(rf, "ROM"));
}

/* ---- helpers ---- */

static word_t fetch(cptr_t rom, char *out, word_t max, word_t *version)
{
	struct rpc_msg m;
	word_t addr, len;

	rpc_init(&m, ROM_DATASPACE);
	CHECK_OK(rpc_call_expect(rom, &m, 2, true));
	len = m.w[0];
	if (version)
		*version = m.w[1];
	CHECK_OK(pd_attach(tb_env->pd, m.cap, 0, 0, 0, 0, &addr));
	word_t n = len < max - 1 ? len : max - 1;
	memcpy(out, (void *)addr, n);
	out[n] = 0;
	CHECK_OK(pd_detach(tb_env->pd, addr));
	cap_slot_free(m.cap);
	return len;
}

static void expect(cptr_t rom, const char *want, word_t *version)
{
	char buf[1024];

	fetch(rom, buf, sizeof(buf), version);
	if (strcmp(buf, want))
		test_fail(__FILE__, __LINE__, "output is\n%s\nwanted\n%s", buf, want);
}

/* Wait until a ROM shows `want` (it is signalled on each change). */
static void await(cptr_t rom, int bit, const char *want)
{
	char buf[1024];

	for (;;) {
		sys_poll(ntfn);
		fetch(rom, buf, sizeof(buf), 0);
		if (!strcmp(buf, want))
			return;
		while (!(sys_wait(ntfn) & (1ull << bit)))
			;
	}
}

static const char *out_none =
	"<config verbose=\"no\">\n"
	"  <map/>\n"
	"</config>\n";
static const char *out_de =
	"<config verbose=\"no\">\n"
	"  <map file=\"de.map\"/>\n"
	"</config>\n";
static const char *out_fr =
	"<config verbose=\"no\">\n"
	"  <map file=\"fr\"/>\n"
	"</config>\n";
static const char *out_fr_running =
	"<config verbose=\"no\">\n"
	"  <map file=\"fr\"/>\n"
	"  <system state=\"running\"/>\n"
	"</config>\n";
static const char *out_none_running =
	"<config verbose=\"no\">\n"
	"  <map/>\n"
	"  <system state=\"running\"/>\n"
	"</config>\n";

/* ---- cases ---- */

TEST(RFT_0001, "the output follows the input reports; clients of its ROM and of its report see each version")
{
	struct tb_report kb, sys;
	struct tb_own out, derived;
	word_t v0, v1, v2;

	CHECK_OK(tb_open(&out, rf, "ROM", "test -> out", "", ROM_SESSION_RAM, ROM_SESSION_CAPS));
	CHECK_OK(rom_sigh(out.cap, bits[1]));
	CHECK_OK(tb_open(&derived, rr, "ROM", "test -> derived", "", ROM_SESSION_RAM,
			 ROM_SESSION_CAPS));
	CHECK_OK(rom_sigh(derived.cap, bits[2]));
	/* no reports yet: the inputs are undefined */
	expect(out.cap, out_none, &v0);
	CHECK(v0 > 0);
	await(derived.cap, 2, out_none);

	CHECK_OK(tb_report_open(&kb, rr, "test -> keyboard", "", REPORT_SESSION_RAM(4096)));
	CHECK_OK(tb_report_open(&sys, rr, "test -> system", "", REPORT_SESSION_RAM(4096)));
	tb_report_submit(&kb, "<keyboard layout=\"de\"/>");
	expect(out.cap, out_de, &v1);
	CHECK_EQ(v1, v0 + 1);
	await(derived.cap, 2, out_de);

	tb_report_submit(&kb, "<keyboard layout=\"fr\"/>");
	expect(out.cap, out_fr, &v2);
	CHECK_EQ(v2, v1 + 1);
	await(derived.cap, 2, out_fr);

	tb_report_submit(&sys, "<system state=\"running\"/>");
	expect(out.cap, out_fr_running, 0);
	await(derived.cap, 2, out_fr_running);

	/* a malformed report is an undefined input */
	tb_report_submit(&kb, "<keyboard layout=\"de\">");
	expect(out.cap, out_none_running, 0);
	/* a report of another node type too */
	tb_report_submit(&kb, "<mouse layout=\"de\"/>");
	expect(out.cap, out_none_running, 0);
	/* the report's session closes: the ROM is empty */
	tb_report_submit(&kb, "<keyboard layout=\"fr\"/>");
	expect(out.cap, out_fr_running, 0);
	tb_report_close(&kb);
	expect(out.cap, out_none_running, 0);
	await(derived.cap, 2, out_none_running);
	tb_report_close(&sys);
	expect(out.cap, out_none, 0);
	CHECK_OK(tb_close(&out));
	CHECK_OK(tb_close(&derived));
}

TEST(RFT_0002, "an input change that leaves the output as it is makes no version and no signal")
{
	struct tb_report kb;
	struct tb_own out;
	word_t v0, v1;

	CHECK_OK(tb_report_open(&kb, rr, "test -> keyboard", "", REPORT_SESSION_RAM(4096)));
	tb_report_submit(&kb, "<keyboard layout=\"fr\"/>");
	CHECK_OK(tb_open(&out, rf, "ROM", "test -> out", "", ROM_SESSION_RAM, ROM_SESSION_CAPS));
	expect(out.cap, out_fr, &v0);
	CHECK_OK(rom_sigh(out.cap, bits[3]));
	sys_poll(ntfn);
	tb_report_submit(&kb, "<keyboard layout=\"fr\" model=\"pc105\"/>");
	expect(out.cap, out_fr, &v1);
	CHECK_EQ(v1, v0);
	CHECK_EQ(sys_poll(ntfn) & (1ull << 3), 0);
	tb_report_submit(&kb, "<keyboard layout=\"de\" model=\"pc105\"/>");
	expect(out.cap, out_de, &v1);
	CHECK(sys_poll(ntfn) & (1ull << 3));   /* sent before our request was served */
	CHECK_EQ(v1, v0 + 1);
	tb_report_close(&kb);
	CHECK_OK(tb_close(&out));
}

TEST(RFT_0003, "a new config changes the output and the inputs; a config that does not check is ignored")
{
	struct tb_report kb, sys;
	struct tb_own out;
	struct pd_quota q0 = tb_quota(rr);

	CHECK_OK(tb_report_open(&kb, rr, "test -> keyboard", "", REPORT_SESSION_RAM(4096)));
	CHECK_OK(tb_report_open(&sys, rr, "test -> system", "", REPORT_SESSION_RAM(4096)));
	tb_report_submit(&kb, "<keyboard layout=\"fr\"/>");
	tb_report_submit(&sys, "<system state=\"idle\"/>");
	CHECK_OK(tb_open(&out, rf, "ROM", "test -> out", "", ROM_SESSION_RAM, ROM_SESSION_CAPS));
	CHECK_OK(rom_sigh(out.cap, bits[4]));
	tb_set_config(rf,
		"<config>"
		" <input name=\"s\" rom=\"system\" node=\"system\"> <attribute name=\"state\"/> </input>"
		" <output node=\"state\"> <attribute name=\"is\" input=\"s\"/> </output>"
		"</config>");
	tb_wait_config_seen(rf);
	expect(out.cap, "<state is=\"idle\"/>\n", 0);
	/* the keyboard input is gone: its ROM session at report_rom closed;
	 * there is no report= any more: its Report session closed */
	CHECK_EQ(tb_quota(rr).ram_quota, q0.ram_quota + 2 * REPORT_SESSION_RAM(4096) - 16 * KB -
					  REPORT_SESSION_RAM(16 * KB));
	tb_report_submit(&kb, "<keyboard layout=\"de\"/>");
	tb_report_submit(&sys, "<system state=\"busy\"/>");
	expect(out.cap, "<state is=\"busy\"/>\n", 0);
	/* not checking: an undeclared input; the old template stays */
	tb_set_config(rf, "<config> <output node=\"x\"> <attribute name=\"a\" input=\"nope\"/> </output> </config>");
	tb_wait_config_seen(rf);
	tb_report_submit(&sys, "<system state=\"idle\"/>");
	expect(out.cap, "<state is=\"idle\"/>\n", 0);
	/* not even parsing */
	tb_set_config(rf, "<config> <output node=\"x\"> </config>");
	tb_wait_config_seen(rf);
	tb_report_submit(&sys, "<system state=\"busy\"/>");
	expect(out.cap, "<state is=\"busy\"/>\n", 0);
	/* an unknown setting */
	tb_set_config(rf, "<config colour=\"red\"> <output node=\"x\"/> </config>");
	tb_wait_config_seen(rf);
	expect(out.cap, "<state is=\"busy\"/>\n", 0);
	tb_set_config(rf, rf_config);
	tb_wait_config_seen(rf);
	expect(out.cap,
	       "<config verbose=\"no\">\n"
	       "  <map file=\"de.map\"/>\n"
	       "  <system state=\"busy\"/>\n"
	       "</config>\n", 0);
	tb_report_close(&kb);
	tb_report_close(&sys);
	CHECK_OK(tb_close(&out));
	CHECK_EQ(tb_quota(rr).ram_quota, q0.ram_quota);
}

TEST(RFT_0004, "an output larger than the buffer keeps the last one")
{
	struct tb_report sys;
	struct tb_own out;
	static char big[400];

	CHECK_OK(tb_report_open(&sys, rr, "test -> system", "", REPORT_SESSION_RAM(4096)));
	tb_report_submit(&sys, "<system state=\"short\"/>");
	CHECK_OK(tb_open(&out, rf, "ROM", "test -> out", "", ROM_SESSION_RAM, ROM_SESSION_CAPS));
	tb_set_config(rf,
		"<config buffer=\"64\">"
		" <input name=\"s\" rom=\"system\" node=\"system\"> <attribute name=\"state\"/> </input>"
		" <output node=\"state\"> <attribute name=\"is\" input=\"s\"/> </output>"
		"</config>");
	tb_wait_config_seen(rf);
	expect(out.cap, "<state is=\"short\"/>\n", 0);
	memcpy(big, "<system state=\"", 15);
	memset(big + 15, 'x', 100);
	memcpy(big + 115, "\"/>", 4);
	tb_report_submit(&sys, big);
	expect(out.cap, "<state is=\"short\"/>\n", 0);
	tb_report_submit(&sys, "<system state=\"again\"/>");
	expect(out.cap, "<state is=\"again\"/>\n", 0);
	tb_set_config(rf, rf_config);
	tb_wait_config_seen(rf);
	tb_report_close(&sys);
	CHECK_OK(tb_close(&out));
}

TEST(RFT_0005, "its ROM sessions need their quota and refuse bad calls")
{
	struct tb_own x;
	struct rpc_msg m;

	CHECK_ST(tb_open(&x, rf, "ROM", "test -> out", "", 100, ROM_SESSION_CAPS),
		 RPC_E_NO_RAM_QUOTA);
	CHECK_ST(tb_open(&x, rf, "ROM", "test -> out", "", ROM_SESSION_RAM, 1),
		 RPC_E_NO_CAP_QUOTA);
	CHECK_OK(tb_open(&x, rf, "ROM", "test -> out", "", ROM_SESSION_RAM, ROM_SESSION_CAPS));
	CHECK_ST(rom_sigh(x.cap, tb_env->pd), RPC_E_INVALID_CAP);
	rpc_init(&m, 42);
	CHECK_ST(rpc_call(x.cap, &m), RPC_E_ILLEGAL_OPERATION);
	CHECK_OK(tb_close(&x));
}

TEST(RFT_0006, "two filters in a chain: the second derives its output from the first one's report")
{
	struct tb_child *second;
	struct tb_own out2;
	struct tb_report kb;

	CHECK_OK(tb_report_open(&kb, rr, "test -> keyboard", "", REPORT_SESSION_RAM(4096)));
	tb_report_submit(&kb, "<keyboard layout=\"fr\"/>");
	CHECK_OK(tb_start(&second, "second", "rom_filter", 2 * MB, 256, PRIO,
		"<config>"
		" <input name=\"file\" rom=\"derived\" node=\"config\">"
		"  <node type=\"map\"> <attribute name=\"file\"/> </node>"
		" </input>"
		" <output node=\"keymap\">"
		"  <if> <has_input input=\"file\"/>"
		"   <then> <attribute name=\"file\" input=\"file\"/> </then>"
		"   <else> <attribute name=\"file\" value=\"none\"/> </else>"
		"  </if>"
		" </output>"
		"</config>"));
	CHECK(tb_wait_announce(second, "ROM"));
	CHECK_OK(tb_open(&out2, second, "ROM", "test -> out2", "", ROM_SESSION_RAM,
			 ROM_SESSION_CAPS));
	CHECK_OK(rom_sigh(out2.cap, bits[5]));
	await(out2.cap, 5, "<keymap file=\"fr\"/>\n");
	tb_report_submit(&kb, "<keyboard layout=\"de\"/>");
	await(out2.cap, 5, "<keymap file=\"de.map\"/>\n");
	tb_report_close(&kb);   /* <map/> without a file: the input is undefined */
	await(out2.cap, 5, "<keymap file=\"none\"/>\n");
	CHECK_OK(tb_close(&out2));
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("rom_filter_test", setup);
}
