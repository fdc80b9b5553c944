/*
 * event_test: the event server (servers/event) through its Event
 * sessions, started by core as init with report_rom and event as its
 * children (testbed.h). Batches are taken, numbered per session and
 * reported; gaps, replays and malformed events are refused whole and
 * change nothing.
 */
#include <argil/config.h>
#include <argil/kernel.h>
#include <argil/rom.h>
#include <event_session.h>
#include "testbed.h"

#define MB (1024ul * 1024)
#define PRIO 100
#define ROM_MAX 16384

static struct tb_child *rr, *ev;
static struct tb_own rom;
static cptr_t ntfn, bits[62];
static char text[ROM_MAX + 1];
static uint8_t arena[18 * ROM_MAX + 1280];

static const char *const rr_config =
	"<config> <policy label=\"events\" report=\"event -> events\"/> </config>\n";

static void setup(void)
{
	tb_signal_bits(&ntfn, bits);
	CHECK_OK(tb_start(&rr, "report_rom", "report_rom", 2 * MB, 200, PRIO, rr_config));
	CHECK(tb_wait_announce(rr, "ROM"));
	CHECK_OK(tb_start(&ev, "event", "event", 2 * MB, 200, PRIO, "<config/>"));
	CHECK(tb_wait_announce(ev, EVENT_SERVICE));
	CHECK_OK(tb_open(&rom, rr, "ROM", "events", "", ROM_SESSION_RAM + 2 * DS_COST(PAGES(ROM_MAX)),
			 ROM_SESSION_CAPS));
	CHECK_OK(rom_sigh(rom.cap, bits[0]));
}

struct conn {
	struct tb_own s;
	struct input_event *buf;
	word_t max;
};

static void conn_open(struct conn *c, const char *label)
{
	cptr_t ds;
	word_t size, addr;

	CHECK_OK(tb_open(&c->s, ev, EVENT_SERVICE, label, "", EVENT_SESSION_RAM, EVENT_SESSION_CAPS));
	CHECK_OK(event_dataspace(c->s.cap, &ds, &size));
	CHECK_EQ(size, EVENT_BATCH_MAX * sizeof(struct input_event));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, ATTACH_WRITE, &addr));
	c->buf = (struct input_event *)addr;
	c->max = size / sizeof(struct input_event);
}

static void conn_close(struct conn *c)
{
	pd_detach(tb_env->pd, (word_t)c->buf);
	CHECK_OK(tb_close(&c->s));
}

/* the events report, parsed; its total. The server publishes its first
 * (empty) report after it announced the service: until then the ROM is
 * empty, and its signal says when that changes. */
static const struct cfg_node *report(uint64_t *total)
{
	word_t size = 0, dsize, addr;
	cptr_t ds;
	const struct cfg_node *n;

	for (;;) {
		sys_poll(ntfn);
		CHECK_OK(rom_dataspace(rom.cap, &ds, &size));
		if (size)
			break;
		cap_slot_free(ds);
		sys_wait(ntfn);
	}
	CHECK_OK(ds_info(ds, &dsize, 0, 0));
	CHECK(size <= dsize && size <= ROM_MAX);
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &addr));
	memcpy(text, (void *)addr, size);
	pd_detach(tb_env->pd, addr);
	cap_slot_free(ds);
	n = cfg_parse(text, size, arena, sizeof(arena), 0);
	CHECK(n && cfg_is(n, "events"));
	CHECK(cfg_attr_u64(n, "total", 0, total) == 1);
	return n;
}

/* the last event of the report */
static const struct cfg_node *last_event(const struct cfg_node *r)
{
	const struct cfg_node *e = cfg_child(r, "event"), *last = 0;

	for (; e; e = cfg_next(e, "event"))
		last = e;
	return last;
}

TEST(EVT_0001, "a batch of every event type is taken, numbered and reported with names")
{
	struct conn c;
	const struct cfg_node *r, *e;
	uint64_t before, total, seq;

	report(&before);
	conn_open(&c, "kbd");
	c.buf[0] = (struct input_event){ .type = INPUT_PRESS, .code = KEY_A };
	c.buf[1] = (struct input_event){ .type = INPUT_RELEASE, .code = KEY_A };
	c.buf[2] = (struct input_event){ .type = INPUT_MOTION, .x = -3, .y = 7 };
	c.buf[3] = (struct input_event){ .type = INPUT_WHEEL, .y = 1 };
	c.buf[4] = (struct input_event){ .type = INPUT_ABSOLUTE, .x = 0, .y = INPUT_ABS_MAX };
	c.buf[5] = (struct input_event){ .type = INPUT_CHAR, .code = 0xe4 };
	c.buf[6] = (struct input_event){ .type = INPUT_PRESS, .code = KEY_BTN_LEFT };
	CHECK_OK(event_submit(c.s.cap, 7, 0));
	r = report(&total);
	CHECK_EQ(total, before + 7);
	e = cfg_child(r, "event");
	while (e && !cfg_attr_is(e, "source", "kbd"))
		e = cfg_next(e, "event");
	CHECK(e);
	CHECK(cfg_attr_is(e, "type", "press") && cfg_attr_is(e, "key", "A"));
	CHECK(cfg_attr_u64(e, "seq", 9, &seq) == 1 && seq == 0);
	e = cfg_next(cfg_next(e, "event"), "event");
	CHECK(cfg_attr_is(e, "type", "motion") && cfg_attr_is(e, "x", "-3") && cfg_attr_is(e, "y", "7"));
	e = cfg_next(cfg_next(e, "event"), "event");
	CHECK(cfg_attr_is(e, "type", "absolute") && cfg_attr_is(e, "x", "0") &&
	      cfg_attr_is(e, "y", "32767"));
	e = cfg_next(e, "event");
	CHECK(cfg_attr_is(e, "type", "char") && cfg_attr_is(e, "char", "U+00E4"));
	e = last_event(r);
	CHECK(cfg_attr_is(e, "key", "BTN_LEFT") && cfg_attr_is(e, "code", "0x110"));
	CHECK(cfg_attr_u64(e, "seq", 0, &seq) == 1 && seq == 6);
	conn_close(&c);
}

TEST(EVT_0002, "a gap or a replay of the sequence is refused and changes nothing")
{
	struct conn c;
	uint64_t before, total;

	conn_open(&c, "seq");
	c.buf[0] = (struct input_event){ .type = INPUT_PRESS, .code = KEY_B };
	c.buf[1] = (struct input_event){ .type = INPUT_RELEASE, .code = KEY_B };
	report(&before);
	CHECK_ST(event_submit(c.s.cap, 2, 1), RPC_E_INVALID_ARGUMENT);     /* a gap */
	CHECK_OK(event_submit(c.s.cap, 2, 0));
	CHECK_ST(event_submit(c.s.cap, 2, 0), RPC_E_INVALID_ARGUMENT);     /* a replay */
	CHECK_ST(event_submit(c.s.cap, 1, 1), RPC_E_INVALID_ARGUMENT);     /* inside the last */
	report(&total);
	CHECK_EQ(total, before + 2);
	CHECK_OK(event_submit(c.s.cap, 1, 2));
	report(&total);
	CHECK_EQ(total, before + 3);
	conn_close(&c);
}

TEST(EVT_0003, "a malformed event or count refuses the whole batch")
{
	static const struct input_event bad[] = {
		{ .type = 0, .code = KEY_A },
		{ .type = 9 },
		{ .type = INPUT_PRESS, .code = 0 },
		{ .type = INPUT_PRESS, .code = KEY_MAX + 1 },
		{ .type = INPUT_RELEASE, .code = KEY_A, .x = 1 },
		{ .type = INPUT_MOTION, .code = KEY_A, .x = 1 },
		{ .type = INPUT_WHEEL, .code = 1 },
		{ .type = INPUT_ABSOLUTE, .x = -1 },
		{ .type = INPUT_ABSOLUTE, .y = INPUT_ABS_MAX + 1 },
		{ .type = INPUT_ABSOLUTE, .code = KEY_A },
		{ .type = INPUT_CHAR, .code = 0 },
		{ .type = INPUT_CHAR, .code = INPUT_CHAR_MAX + 1 },
		{ .type = INPUT_CHAR, .code = 0xd800 },
		{ .type = INPUT_CHAR, .code = 'a', .x = 2 },
	};
	struct conn c;
	uint64_t before, total;

	conn_open(&c, "bad");
	report(&before);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.buf[0] = (struct input_event){ .type = INPUT_PRESS, .code = KEY_C };
		c.buf[1] = bad[i];
		CHECK_ST(event_submit(c.s.cap, 2, 0), RPC_E_INVALID_ARGUMENT);
	}
	CHECK_ST(event_submit(c.s.cap, 0, 0), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(event_submit(c.s.cap, c.max + 1, 0), RPC_E_INVALID_ARGUMENT);
	report(&total);
	CHECK_EQ(total, before);
	/* a full batch is fine */
	for (word_t i = 0; i < c.max; i++)
		c.buf[i] = (struct input_event){ .type = INPUT_MOTION, .x = (int32_t)i };
	CHECK_OK(event_submit(c.s.cap, c.max, 0));
	report(&total);
	CHECK_EQ(total, before + c.max);
	conn_close(&c);
}

TEST(EVT_0004, "sessions are numbered independently, a new session starts at 0")
{
	struct conn a, b;
	const struct cfg_node *r, *e;
	uint64_t total, seq;

	conn_open(&a, "a");
	conn_open(&b, "b");
	a.buf[0] = (struct input_event){ .type = INPUT_PRESS, .code = KEY_D };
	b.buf[0] = (struct input_event){ .type = INPUT_PRESS, .code = KEY_E };
	CHECK_OK(event_submit(a.s.cap, 1, 0));
	CHECK_OK(event_submit(b.s.cap, 1, 0));
	CHECK_OK(event_submit(a.s.cap, 1, 1));
	conn_close(&b);
	conn_open(&b, "b");
	b.buf[0] = (struct input_event){ .type = INPUT_RELEASE, .code = KEY_E };
	CHECK_ST(event_submit(b.s.cap, 1, 1), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(event_submit(b.s.cap, 1, 0));
	r = report(&total);
	e = last_event(r);
	CHECK(cfg_attr_is(e, "source", "b") && cfg_attr_is(e, "type", "release"));
	CHECK(cfg_attr_u64(e, "seq", 9, &seq) == 1 && seq == 0);
	conn_close(&a);
	conn_close(&b);
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("event_test", setup);
}
