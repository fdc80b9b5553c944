/*
 * report_rom_test: reports become ROMs. Started by core as init; report_rom
 * and dummy clients are its children (testbed.h). The test itself opens
 * Report and ROM sessions at report_rom (its labels reach report_rom as
 * given; a child's are prefixed with the child's name).
 */
#include <argil/kernel.h>
#include <report_session.h>
#include <argil/rom.h>
#include "testbed.h"

#define KB 1024ul
#define MB (1024 * KB)
#define RR_PRIO 200
#define CLIENT_PRIO 100

static struct tb_child *rr;
static cptr_t ntfn;
static cptr_t bits[62];

static const char *config_a =
	"<config verbose=\"yes\">\n"
	"  <policy label=\"test -> a\" report=\"test -> rep_a\"/>\n"
	"  <policy label=\"test -> a2\" report=\"test -> rep_a\"/>\n"
	"  <policy label_prefix=\"test -> pre\" report=\"test -> rep_b\"/>\n"
	"  <policy label_last=\"last\" report=\"test -> rep_b\"/>\n"
	"</config>\n";

static void setup(void)
{
	tb_signal_bits(&ntfn, bits);
	CHECK_OK(tb_start(&rr, "report_rom", "report_rom", 2 * MB, 256, RR_PRIO, config_a));
	CHECK(tb_wait_announce(rr, REPORT_SERVICE));
	CHECK(tb_wait_announce(rr, "ROM"));
}

/* ---- helpers ---- */

static void rom_open(struct tb_own *o, const char *label, word_t ram, int bit)
{
	CHECK_OK(tb_open(o, rr, "ROM", label, "", ram, ROM_SESSION_CAPS));
	if (bit >= 0)
		CHECK_OK(rom_sigh(o->cap, bits[bit]));
}

/* Fetch the ROM's content into out (NUL-terminated); returns its length. */
static rpc_status_t try_fetch(cptr_t rom, char *out, word_t max, word_t *len, word_t *version)
{
	struct rpc_msg m;
	word_t addr, dsize;
	rpc_status_t st;

	rpc_init(&m, ROM_DATASPACE);
	st = rpc_call_expect(rom, &m, 2, true);
	if (st != RPC_OK)
		return st;
	*len = m.w[0];
	if (version)
		*version = m.w[1];
	CHECK_OK(ds_info(m.cap, &dsize, 0, 0));
	CHECK(dsize >= *len && dsize >= 4096);
	CHECK_OK(pd_attach(tb_env->pd, m.cap, 0, 0, 0, 0, &addr));
	word_t n = *len < max - 1 ? *len : max - 1;
	memcpy(out, (void *)addr, n);
	out[n] = 0;
	/* nothing of older content beyond the end */
	for (word_t i = *len; i < dsize; i++)
		CHECK_EQ(((char *)addr)[i], 0);
	CHECK_OK(pd_detach(tb_env->pd, addr));
	cap_slot_free(m.cap);
	return RPC_OK;
}

static word_t fetch(cptr_t rom, char *out, word_t max, word_t *version)
{
	word_t len = 0;

	CHECK_OK(try_fetch(rom, out, max, &len, version));
	return len;
}

static void check_content(cptr_t rom, const char *want)
{
	char buf[512];

	CHECK_EQ(fetch(rom, buf, sizeof(buf), 0), strlen(want));
	CHECK(!strcmp(buf, want));
}

/* ---- cases ---- */

TEST(RPT_0001, "a report becomes a ROM: empty first, then the content with a version")
{
	struct tb_report r;
	struct tb_own rom;
	char buf[256];
	word_t v;

	rom_open(&rom, "test -> a", ROM_SESSION_RAM, 0);
	CHECK_EQ(fetch(rom.cap, buf, sizeof(buf), &v), 0);
	CHECK_EQ(v, 0);
	CHECK_OK(tb_report_open(&r, rr, "test -> rep_a", "buffer_size=4096", REPORT_SESSION_RAM(4096)));
	CHECK_EQ(r.size, 4096);
	sys_poll(ntfn);
	tb_report_submit(&r, "<state value=\"1\"/>");
	CHECK(sys_poll(ntfn) & 1);
	CHECK_EQ(fetch(rom.cap, buf, sizeof(buf), &v), 18);
	CHECK(!strcmp(buf, "<state value=\"1\"/>"));
	CHECK(v > 0);
	tb_report_submit(&r, "<state value=\"2\"/>");
	word_t v2;
	fetch(rom.cap, buf, sizeof(buf), &v2);
	CHECK(v2 > v);
	CHECK(!strcmp(buf, "<state value=\"2\"/>"));
	/* the attached_rom of base works on it too: through ROM_UPDATE */
	tb_report_close(&r);
	CHECK_OK(tb_close(&rom));
}

TEST(RPT_0002, "each submission signals every ROM session of the report; none without one")
{
	struct tb_report r;
	struct tb_own a, a2, other;
	char buf[64];
	word_t v1, v2;

	rom_open(&a, "test -> a", ROM_SESSION_RAM, 1);
	rom_open(&a2, "test -> a2", ROM_SESSION_RAM, 2);
	rom_open(&other, "test -> prefixed", ROM_SESSION_RAM, 3);
	CHECK_OK(tb_report_open(&r, rr, "test -> rep_a", "", REPORT_SESSION_RAM(4096)));
	sys_poll(ntfn);
	tb_report_submit(&r, "<one/>");
	word_t w = sys_poll(ntfn);
	CHECK_EQ(w & 0xe, 0x6);     /* a and a2, not other */
	fetch(a.cap, buf, sizeof(buf), &v1);
	fetch(a2.cap, buf, sizeof(buf), &v2);
	CHECK_EQ(v1, v2);
	/* two submissions before a client looks: the signal merges, the
	 * client gets the newest */
	tb_report_submit(&r, "<two/>");
	tb_report_submit(&r, "<three/>");
	CHECK_EQ(sys_poll(ntfn) & 0xe, 0x6);
	check_content(a.cap, "<three/>");
	/* nothing submitted: nothing signalled */
	CHECK_EQ(sys_poll(ntfn) & 0xe, 0);
	/* registering a signal handler after a change that was not fetched
	 * signals at once */
	tb_report_submit(&r, "<four/>");
	sys_poll(ntfn);
	CHECK_OK(rom_sigh(a2.cap, bits[4]));
	CHECK(sys_poll(ntfn) & (1ull << 4));
	CHECK_OK(rom_sigh(a2.cap, 0));   /* none */
	tb_report_submit(&r, "<five/>");
	CHECK_EQ(sys_poll(ntfn) & (1ull << 4), 0);
	tb_report_close(&r);
	CHECK_OK(tb_close(&a));
	CHECK_OK(tb_close(&a2));
	CHECK_OK(tb_close(&other));
}

TEST(RPT_0003, "a ROM client sees one snapshot until it asks again; writes without submit show nowhere")
{
	struct tb_report r;
	struct tb_own rom;
	struct rpc_msg m;
	word_t addr;

	rom_open(&rom, "test -> a", ROM_SESSION_RAM, -1);
	CHECK_OK(tb_report_open(&r, rr, "test -> rep_a", "", REPORT_SESSION_RAM(4096)));
	tb_report_submit(&r, "<first/>");
	rpc_init(&m, ROM_DATASPACE);
	CHECK_OK(rpc_call_expect(rom.cap, &m, 2, true));
	CHECK_OK(pd_attach(tb_env->pd, m.cap, 0, 0, 0, 0, &addr));
	CHECK(!memcmp((char *)addr, "<first/>", 9));
	/* the reporter scribbles without submitting: nobody sees it */
	memcpy(r.buf, "<scribble/>", 11);
	CHECK(!memcmp((char *)addr, "<first/>", 9));
	check_content(rom.cap, "<first/>");
	/* check_content fetched again: our old attachment shows what that
	 * fetch delivered, and stays so after the next submission */
	tb_report_submit(&r, "<second/>");
	CHECK(!memcmp((char *)addr, "<first/>", 9));
	/* the ROM dataspace is read-only for us as attached; writable
	 * attachment of a RAM dataspace is refused? it is our own copy, so a
	 * write could hurt only us: not checked here */
	CHECK_OK(pd_detach(tb_env->pd, addr));
	cap_slot_free(m.cap);
	check_content(rom.cap, "<second/>");
	tb_report_close(&r);
	CHECK_OK(tb_close(&rom));
}

TEST(RPT_0004, "reports of several pages; a ROM session pays its copy, an upgrade lets it have one")
{
	static char big[12288 + 1];
	static char got[12288 + 1];
	struct tb_report r;
	struct tb_own small, large;
	word_t len;

	for (int i = 0; i < 10000; i++)
		big[i] = 'a' + i % 26;
	big[10000] = 0;
	CHECK_OK(tb_report_open(&r, rr, "test -> rep_a", "buffer_size=12K", REPORT_SESSION_RAM(12288)));
	CHECK_EQ(r.size, 12288);
	rom_open(&small, "test -> a", ROM_SESSION_RAM, -1);
	rom_open(&large, "test -> a2", ROM_SESSION_BASE + DS_COST(3), -1);
	tb_report_submit(&r, big);
	CHECK_EQ(fetch(large.cap, got, sizeof(got), 0), 10000);
	CHECK(!memcmp(got, big, 10001));
	CHECK_ST(try_fetch(small.cap, got, sizeof(got), &len, 0), RPC_E_NO_RAM_QUOTA);
	CHECK_OK(tb_upgrade(&small, DS_COST(3), 0));
	CHECK_EQ(fetch(small.cap, got, sizeof(got), 0), 10000);
	/* longer than the buffer */
	CHECK_ST(report_submit(r.s.cap, 12289), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(report_submit(r.s.cap, 12288));
	CHECK_EQ(fetch(large.cap, got, sizeof(got), 0), 12288);
	tb_report_close(&r);
	CHECK_OK(tb_close(&small));
	CHECK_OK(tb_close(&large));
}

TEST(RPT_0005, "a Report session's buffer is what its quota pays; bad requests are refused")
{
	struct tb_report r;
	struct tb_own x;

	CHECK_OK(tb_report_open(&r, rr, "test -> q", "", REPORT_SESSION_RAM(4096)));
	CHECK_EQ(r.size, 4096);
	tb_report_close(&r);
	CHECK_OK(tb_report_open(&r, rr, "test -> q", "", REPORT_SESSION_RAM(5 * 4096)));
	CHECK_EQ(r.size, 5 * 4096);
	tb_report_close(&r);
	CHECK_OK(tb_report_open(&r, rr, "test -> q", "buffer_size=100", REPORT_SESSION_RAM(5 * 4096)));
	CHECK_EQ(r.size, 4096);
	tb_report_close(&r);
	CHECK_ST(tb_open(&x, rr, REPORT_SERVICE, "test -> q", "buffer_size=8K",
			 REPORT_SESSION_RAM(4096), REPORT_SESSION_CAPS), RPC_E_NO_RAM_QUOTA);
	CHECK_ST(tb_open(&x, rr, REPORT_SERVICE, "test -> q", "", 100, REPORT_SESSION_CAPS),
		 RPC_E_NO_RAM_QUOTA);
	CHECK_ST(tb_open(&x, rr, REPORT_SERVICE, "test -> q", "", REPORT_SESSION_RAM(4096), 1),
		 RPC_E_NO_CAP_QUOTA);
	CHECK_ST(tb_open(&x, rr, REPORT_SERVICE, "test -> q", "buffer_size=0",
			 REPORT_SESSION_RAM(4096), REPORT_SESSION_CAPS), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(tb_open(&x, rr, REPORT_SERVICE, "test -> q", "buffer_size=lots",
			 REPORT_SESSION_RAM(4096), REPORT_SESSION_CAPS), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(tb_open(&x, rr, REPORT_SERVICE, "test -> q", "buffer_size=1G",
			 REPORT_SESSION_RAM(4096), REPORT_SESSION_CAPS), RPC_E_INVALID_ARGUMENT);
}

TEST(RPT_0006, "a ROM request no policy matches is denied; ROM sessions need their quota")
{
	struct tb_own x;

	CHECK_ST(tb_open(&x, rr, "ROM", "test -> nothing", "", ROM_SESSION_RAM, ROM_SESSION_CAPS),
		 RPC_E_DENIED);
	CHECK_ST(tb_open(&x, rr, "ROM", "test -> b -> last", "", 100, ROM_SESSION_CAPS),
		 RPC_E_NO_RAM_QUOTA);
	CHECK_ST(tb_open(&x, rr, "ROM", "test -> b -> last", "", ROM_SESSION_RAM, 1),
		 RPC_E_NO_CAP_QUOTA);
	CHECK_OK(tb_open(&x, rr, "ROM", "test -> b -> last", "", ROM_SESSION_RAM,
			 ROM_SESSION_CAPS));
	CHECK_OK(tb_close(&x));
}

TEST(RPT_0007, "two reports with one label: the newest wins, closing falls back, closing all empties")
{
	struct tb_report r1, r2;
	struct tb_own rom;
	char buf[64];

	rom_open(&rom, "test -> prefix", ROM_SESSION_RAM, 5);
	CHECK_OK(tb_report_open(&r1, rr, "test -> rep_b", "", REPORT_SESSION_RAM(4096)));
	CHECK_OK(tb_report_open(&r2, rr, "test -> rep_b", "", REPORT_SESSION_RAM(4096)));
	tb_report_submit(&r1, "<one/>");
	tb_report_submit(&r2, "<two/>");
	check_content(rom.cap, "<two/>");
	tb_report_submit(&r1, "<three/>");
	check_content(rom.cap, "<three/>");
	sys_poll(ntfn);
	tb_report_close(&r1);
	CHECK(sys_poll(ntfn) & (1ull << 5));
	check_content(rom.cap, "<two/>");
	tb_report_close(&r2);
	CHECK(sys_poll(ntfn) & (1ull << 5));
	CHECK_EQ(fetch(rom.cap, buf, sizeof(buf), 0), 0);
	CHECK_OK(tb_close(&rom));
}

TEST(RPT_0008, "a new config re-maps ROM sessions and signals those whose content changed")
{
	struct tb_report a, b;
	struct tb_own rom, stays;

	CHECK_OK(tb_report_open(&a, rr, "test -> rep_a", "", REPORT_SESSION_RAM(4096)));
	CHECK_OK(tb_report_open(&b, rr, "test -> rep_b", "", REPORT_SESSION_RAM(4096)));
	tb_report_submit(&a, "<a/>");
	tb_report_submit(&b, "<b/>");
	rom_open(&rom, "test -> a", ROM_SESSION_RAM, 6);
	rom_open(&stays, "test -> pre", ROM_SESSION_RAM, 7);
	check_content(rom.cap, "<a/>");
	check_content(stays.cap, "<b/>");
	sys_poll(ntfn);
	tb_set_config(rr, "<config> <policy label_prefix=\"test\" report=\"test -> rep_b\"/> </config>");
	while (!(sys_wait(ntfn) & (1ull << 6)))
		;
	check_content(rom.cap, "<b/>");
	CHECK_EQ(sys_poll(ntfn) & (1ull << 7), 0);   /* same report as before */
	/* a policy that goes away: the session shows nothing */
	tb_set_config(rr, "<config> <policy label=\"test -> pre\" report=\"test -> rep_b\"/> </config>");
	while (!(sys_wait(ntfn) & (1ull << 6)))
		;
	char buf[16];
	CHECK_EQ(fetch(rom.cap, buf, sizeof(buf), 0), 0);
	check_content(stays.cap, "<b/>");
	tb_set_config(rr, config_a);
	while (!(sys_wait(ntfn) & (1ull << 6)))
		;
	check_content(rom.cap, "<a/>");
	tb_report_close(&a);
	tb_report_close(&b);
	CHECK_OK(tb_close(&rom));
	CHECK_OK(tb_close(&stays));
}

TEST(RPT_0009, "a malformed config: sessions keep their content, new ROM sessions are denied until fixed")
{
	struct tb_report a;
	struct tb_own rom, x;

	CHECK_OK(tb_report_open(&a, rr, "test -> rep_a", "", REPORT_SESSION_RAM(4096)));
	tb_report_submit(&a, "<a/>");
	rom_open(&rom, "test -> a", ROM_SESSION_RAM, 8);
	tb_set_config(rr, "<config> <policy label=\"test -> a\" report=\"x\"> </config>");
	tb_wait_config_seen(rr);
	check_content(rom.cap, "<a/>");
	CHECK_ST(tb_open(&x, rr, "ROM", "test -> a2", "", ROM_SESSION_RAM, ROM_SESSION_CAPS),
		 RPC_E_DENIED);
	tb_set_config(rr, "<config> <policy label=\"test -> a\" report=\"test -> rep_a\" color=\"red\"/> </config>");
	tb_wait_config_seen(rr);
	CHECK_ST(tb_open(&x, rr, "ROM", "test -> a", "", ROM_SESSION_RAM, ROM_SESSION_CAPS),
		 RPC_E_DENIED);
	tb_set_config(rr, config_a);
	tb_wait_config_seen(rr);
	CHECK_OK(tb_open(&x, rr, "ROM", "test -> a2", "", ROM_SESSION_RAM, ROM_SESSION_CAPS));
	check_content(x.cap, "<a/>");
	CHECK_OK(tb_close(&x));
	tb_report_close(&a);
	CHECK_OK(tb_close(&rom));
}

TEST(RPT_0010, "sessions cost report_rom no more than their donation, and closing returns it all")
{
	struct tb_report r[4];
	struct tb_own rom[4];
	struct pd_quota q0 = tb_quota(rr), q;
	static const word_t sizes[4] = { 4096, 8192, 40960, 4096 };

	for (int i = 0; i < 4; i++) {
		struct pd_quota before = tb_quota(rr);
		char args[32];
		snprintf(args, sizeof(args), "buffer_size=%lu", sizes[i]);
		CHECK_OK(tb_report_open(&r[i], rr, "test -> rep_a", args, REPORT_SESSION_RAM(sizes[i])));
		q = tb_quota(rr);
		printf("report_rom_test: a Report session of %lu bytes: donation %lu, report_rom spent %lu\n",
		       sizes[i], REPORT_SESSION_RAM(sizes[i]), q.ram_used - before.ram_used);
		CHECK(q.ram_used - before.ram_used <= REPORT_SESSION_RAM(sizes[i]));
	}
	tb_report_submit(&r[2], "<x/>");
	for (int i = 0; i < 4; i++) {
		struct pd_quota before = tb_quota(rr);
		rom_open(&rom[i], "test -> a", ROM_SESSION_RAM, -1);
		check_content(rom[i].cap, "<x/>");
		q = tb_quota(rr);
		if (i == 0)
			printf("report_rom_test: a ROM session of one page: donation %u, report_rom spent %lu\n",
			       ROM_SESSION_RAM, q.ram_used - before.ram_used);
		CHECK(q.ram_used - before.ram_used <= ROM_SESSION_RAM);
	}
	for (int i = 0; i < 4; i++) {
		tb_report_close(&r[i]);
		CHECK_OK(tb_close(&rom[i]));
	}
	q = tb_quota(rr);
	CHECK_EQ(q.ram_quota, q0.ram_quota);
	CHECK_EQ(q.cap_quota, q0.cap_quota);
	CHECK_EQ(q.ram_used, q0.ram_used);
	CHECK_EQ(q.cap_used, q0.cap_used);
}

TEST(RPT_0011, "bad calls are refused: signal caps that are no notifications, unknown operations")
{
	struct tb_report r;
	struct tb_own rom;
	struct rpc_msg m;

	CHECK_OK(tb_report_open(&r, rr, "test -> rep_a", "", REPORT_SESSION_RAM(4096)));
	rom_open(&rom, "test -> a", ROM_SESSION_RAM, -1);
	CHECK_ST(rom_sigh(rom.cap, tb_env->pd), RPC_E_INVALID_CAP);
	CHECK_ST(rom_sigh(rom.cap, rom.cap), RPC_E_INVALID_CAP);
	rpc_init(&m, 77);
	CHECK_ST(rpc_call(rom.cap, &m), RPC_E_ILLEGAL_OPERATION);
	rpc_init(&m, 77);
	CHECK_ST(rpc_call(r.s.cap, &m), RPC_E_ILLEGAL_OPERATION);
	rpc_init(&m, REPORT_SUBMIT);
	CHECK_ST(rpc_call(r.s.cap, &m), RPC_E_INVALID_ARGUMENT);
	word_t update = 9;
	CHECK_OK(rom_update(rom.cap, &update, 0));
	CHECK_EQ(update, 0);
	tb_report_close(&r);
	CHECK_OK(tb_close(&rom));
}

TEST(RPT_0012, "client components: a dummy's ROM session is routed by policy, another is denied")
{
	struct tb_child *c;
	struct pd_quota q0 = tb_quota(rr);

	CHECK_OK(tb_start(&c, "reader", "dummy", 1 * MB, 64, CLIENT_PRIO,
			  "<config>"
			  " <session service=\"ROM\" label=\"last\" ram=\"8K\" caps=\"4\"/>"
			  " <session service=\"ROM\" label=\"unknown\" ram=\"8K\" caps=\"4\"/>"
			  " <exit value=\"7\"/>"
			  "</config>"));
	CHECK_EQ(tb_wait_exit(c), 7);
	/* "reader -> last" matches label_last="last": one session at report_rom */
	CHECK_EQ(tb_quota(rr).ram_quota, q0.ram_quota + 8 * KB);
	tb_destroy(c);
	CHECK_EQ(tb_quota(rr).ram_quota, q0.ram_quota);
}

TEST(RPT_0013, "ROM_UPDATE refills the client's copy in place while the content fits its pages, else says fetch again")
{
	static char big[5001];
	struct tb_report r;
	struct tb_own rom;
	struct rpc_msg m;
	char buf[64];
	word_t upd = 9, size = 0, addr;
	cptr_t ds;

	rom_open(&rom, "test -> a", 3 * ROM_SESSION_RAM, -1);
	CHECK_OK(tb_report_open(&r, rr, "test -> rep_a", "buffer_size=8192", REPORT_SESSION_RAM(8192)));
	tb_report_submit(&r, "<state value=\"1\"/>");
	rpc_init(&m, ROM_DATASPACE);
	CHECK_OK(rpc_call_expect(rom.cap, &m, 2, true));
	ds = m.cap;
	CHECK_EQ(m.w[0], 18);
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &addr));
	/* a new report of one page: into the same dataspace */
	tb_report_submit(&r, "<state value=\"22\"/>");
	CHECK_OK(rom_update(rom.cap, &upd, &size));
	CHECK_EQ(upd, 1);
	CHECK_EQ(size, 19);
	CHECK(!memcmp((const char *)addr, "<state value=\"22\"/>", 19));
	for (word_t i = 19; i < 4096; i++)
		CHECK_EQ(((const char *)addr)[i], 0);
	/* two pages do not fit: fetch again; the old copy stays as it was */
	memset(big, 'x', sizeof(big) - 1);
	tb_report_submit(&r, big);
	upd = 9;
	CHECK_OK(rom_update(rom.cap, &upd, &size));
	CHECK_EQ(upd, 0);
	CHECK(!memcmp((const char *)addr, "<state value=\"22\"/>", 19));
	CHECK_OK(pd_detach(tb_env->pd, addr));
	cap_slot_free(ds);
	CHECK_EQ(fetch(rom.cap, buf, sizeof(buf), 0), 5000);
	tb_report_close(&r);
	CHECK_OK(tb_close(&rom));
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("report_rom_test", setup);
}
