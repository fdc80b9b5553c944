// sources: servers/event_filter/filter.c servers/event_filter/keymap.c
// cflags: -Iservers/event_filter -Iservers/event/session/include -Ibase/arch/x86_64/include
/*
 * Host unit tests of the event filter's logic (servers/event_filter:
 * keymap.c, filter.c): the characters of the us, de, fr and ch-de keymaps
 * with shift, AltGr, ctrl and caps lock; merging of sources; remapping;
 * global keys; the key repeat; key names in the config.
 *
 * Area: INPUT.
 */
#include <harness.h>
#include "filter.h"

static const struct keymap *km(const char *name)
{
	const struct keymap *k = keymap_find(name);

	CHECK(k);
	return k;
}

TEST(INPUT_0001, "us keymap: letters, digits, shift, caps lock, ctrl, keys without a character")
{
	const struct keymap *us = km("us");

	CHECK_EQ(keymap_char(us, KEY_A, 0), 'a');
	CHECK_EQ(keymap_char(us, KEY_A, MOD_SHIFT), 'A');
	CHECK_EQ(keymap_char(us, KEY_A, MOD_CAPS), 'A');
	CHECK_EQ(keymap_char(us, KEY_A, MOD_CAPS | MOD_SHIFT), 'a');
	CHECK_EQ(keymap_char(us, KEY_2, MOD_SHIFT), '@');
	CHECK_EQ(keymap_char(us, KEY_2, MOD_CAPS), '2');     /* caps lock: letters only */
	CHECK_EQ(keymap_char(us, KEY_Y, 0), 'y');
	CHECK_EQ(keymap_char(us, KEY_SEMICOLON, MOD_SHIFT), ':');
	CHECK_EQ(keymap_char(us, KEY_C, MOD_CTRL), 0x03);
	CHECK_EQ(keymap_char(us, KEY_1, MOD_CTRL), 0);
	CHECK_EQ(keymap_char(us, KEY_ENTER, 0), '\r');
	CHECK_EQ(keymap_char(us, KEY_F1, 0), 0);
	CHECK_EQ(keymap_char(us, KEY_LEFTSHIFT, 0), 0);
	CHECK_EQ(keymap_char(us, KEY_BTN_LEFT, 0), 0);
	CHECK_EQ(keymap_char(us, KEY_Q, MOD_ALTGR), 0);
	CHECK(!keymap_find("xx"));
	CHECK(!keymap_find(""));
	CHECK(!keymap_find(0));
}

TEST(INPUT_0002, "de, fr and ch-de keymaps: moved letters, umlauts, AltGr, caps lock on umlauts")
{
	const struct keymap *de = km("de"), *fr = km("fr"), *ch = km("ch-de");

	CHECK_EQ(keymap_char(de, KEY_Y, 0), 'z');
	CHECK_EQ(keymap_char(de, KEY_Z, MOD_SHIFT), 'Y');
	CHECK_EQ(keymap_char(de, KEY_2, MOD_SHIFT), '"');
	CHECK_EQ(keymap_char(de, KEY_Q, MOD_ALTGR), '@');
	CHECK_EQ(keymap_char(de, KEY_E, MOD_ALTGR), 0x20ac);
	CHECK_EQ(keymap_char(de, KEY_SEMICOLON, 0), 0xf6);
	CHECK_EQ(keymap_char(de, KEY_SEMICOLON, MOD_CAPS), 0xd6);
	CHECK_EQ(keymap_char(de, KEY_MINUS, 0), 0xdf);
	CHECK_EQ(keymap_char(de, KEY_MINUS, MOD_CAPS), 0xdf);   /* ß has no capital here */
	CHECK_EQ(keymap_char(de, KEY_102ND, MOD_ALTGR), '|');
	CHECK_EQ(keymap_char(de, KEY_A, 0), 'a');               /* from the base */
	CHECK_EQ(keymap_char(fr, KEY_Q, 0), 'a');
	CHECK_EQ(keymap_char(fr, KEY_A, MOD_SHIFT), 'Q');
	CHECK_EQ(keymap_char(fr, KEY_W, 0), 'z');
	CHECK_EQ(keymap_char(fr, KEY_SEMICOLON, 0), 'm');
	CHECK_EQ(keymap_char(fr, KEY_1, 0), '&');
	CHECK_EQ(keymap_char(fr, KEY_1, MOD_SHIFT), '1');
	CHECK_EQ(keymap_char(fr, KEY_2, 0), 0xe9);
	CHECK_EQ(keymap_char(fr, KEY_0, MOD_ALTGR), '@');
	CHECK_EQ(keymap_char(fr, KEY_Q, MOD_CTRL), 0x01);       /* ctrl follows the layout */
	CHECK_EQ(keymap_char(ch, KEY_Y, 0), 'z');
	CHECK_EQ(keymap_char(ch, KEY_LEFTBRACE, 0), 0xfc);
	CHECK_EQ(keymap_char(ch, KEY_LEFTBRACE, MOD_SHIFT), 0xe8);
	CHECK_EQ(keymap_char(ch, KEY_LEFTBRACE, MOD_CAPS), 0xfc);  /* è is no capital of ü */
	CHECK_EQ(keymap_char(ch, KEY_2, MOD_ALTGR), '@');
	CHECK_EQ(keymap_char(ch, KEY_3, MOD_SHIFT), '*');
	CHECK_EQ(keymap_char(ch, KEY_BACKSLASH, 0), '$');
}

static struct filter_config base_cfg(const char *map)
{
	struct filter_config c = { 0 };

	c.keymap = keymap_find(map);
	c.delay_ms = 300;
	c.rate_ms = 50;
	return c;
}

static unsigned feed(struct filter *f, uint32_t type, unsigned code, struct filter_out *out)
{
	struct input_event e = { type, code, 0, 0 };

	return filter_input(f, &e, out);
}

TEST(INPUT_0003, "a press gives the key and its character; modifiers and caps lock are tracked")
{
	static struct filter f;
	struct filter_config c = base_cfg("us");
	struct filter_out o[FILTER_OUT_MAX];

	filter_init(&f, &c);
	CHECK_EQ(feed(&f, INPUT_PRESS, KEY_A, o), 2);
	CHECK_EQ(o[0].ev.type, INPUT_PRESS);
	CHECK_EQ(o[0].ev.code, KEY_A);
	CHECK_EQ(o[1].ev.type, INPUT_CHAR);
	CHECK_EQ(o[1].ev.code, 'a');
	CHECK_EQ(o[1].ev.x, 0);
	CHECK_EQ(o[1].dest, 0);
	CHECK_EQ(feed(&f, INPUT_RELEASE, KEY_A, o), 1);
	CHECK_EQ(feed(&f, INPUT_PRESS, KEY_RIGHTSHIFT, o), 1);   /* no character */
	CHECK_EQ(filter_mods(&f), MOD_SHIFT);
	CHECK_EQ(feed(&f, INPUT_PRESS, KEY_B, o), 2);
	CHECK_EQ(o[1].ev.code, 'B');
	feed(&f, INPUT_RELEASE, KEY_B, o);
	feed(&f, INPUT_RELEASE, KEY_RIGHTSHIFT, o);
	CHECK_EQ(filter_mods(&f), 0);
	feed(&f, INPUT_PRESS, KEY_CAPSLOCK, o);
	feed(&f, INPUT_RELEASE, KEY_CAPSLOCK, o);
	CHECK_EQ(filter_mods(&f), MOD_CAPS);
	CHECK_EQ(feed(&f, INPUT_PRESS, KEY_C, o), 2);
	CHECK_EQ(o[1].ev.code, 'C');
	feed(&f, INPUT_RELEASE, KEY_C, o);
	feed(&f, INPUT_PRESS, KEY_CAPSLOCK, o);
	CHECK_EQ(filter_mods(&f), 0);
	feed(&f, INPUT_PRESS, KEY_LEFTCTRL, o);
	CHECK_EQ(feed(&f, INPUT_PRESS, KEY_D, o), 2);
	CHECK_EQ(o[1].ev.code, 0x04);
	/* motion passes unchanged */
	struct input_event m = { INPUT_ABSOLUTE, 0, 5, 7 };
	CHECK_EQ(filter_input(&f, &m, o), 1);
	CHECK_EQ(o[0].ev.type, INPUT_ABSOLUTE);
	CHECK_EQ(o[0].ev.y, 7);
}

TEST(INPUT_0004, "sources merged: a key held twice is pressed once, released by the last")
{
	static struct filter f;
	struct filter_config c = base_cfg("us");
	struct filter_out o[FILTER_OUT_MAX];

	filter_init(&f, &c);
	CHECK_EQ(feed(&f, INPUT_PRESS, KEY_LEFTSHIFT, o), 1);
	CHECK_EQ(feed(&f, INPUT_PRESS, KEY_LEFTSHIFT, o), 0);
	CHECK_EQ(feed(&f, INPUT_RELEASE, KEY_LEFTSHIFT, o), 0);
	CHECK_EQ(filter_mods(&f), MOD_SHIFT);
	CHECK_EQ(feed(&f, INPUT_RELEASE, KEY_LEFTSHIFT, o), 1);
	CHECK_EQ(o[0].ev.type, INPUT_RELEASE);
	CHECK_EQ(filter_mods(&f), 0);
	CHECK_EQ(feed(&f, INPUT_RELEASE, KEY_LEFTSHIFT, o), 0);  /* not held: dropped */
}

TEST(INPUT_0005, "remapped keys and global keys to their target only")
{
	static struct filter f;
	struct filter_config c = base_cfg("us");
	struct filter_out o[FILTER_OUT_MAX];

	c.remap[KEY_F1] = KEY_X;
	c.remap[KEY_CAPSLOCK] = KEY_LEFTCTRL;
	c.global[0].key = KEY_F12;
	c.global[1].key = KEY_F11;
	c.globals = 2;
	filter_init(&f, &c);
	CHECK_EQ(feed(&f, INPUT_PRESS, KEY_F1, o), 2);
	CHECK_EQ(o[0].ev.code, KEY_X);
	CHECK_EQ(o[1].ev.code, 'x');
	CHECK_EQ(feed(&f, INPUT_RELEASE, KEY_F1, o), 1);
	CHECK_EQ(o[0].ev.code, KEY_X);
	CHECK_EQ(feed(&f, INPUT_PRESS, KEY_CAPSLOCK, o), 1);
	CHECK_EQ(filter_mods(&f), MOD_CTRL);                     /* not caps lock */
	feed(&f, INPUT_RELEASE, KEY_CAPSLOCK, o);
	CHECK_EQ(feed(&f, INPUT_PRESS, KEY_F11, o), 1);
	CHECK_EQ(o[0].dest, 2);
	CHECK_EQ(o[0].ev.code, KEY_F11);
	CHECK_EQ(feed(&f, INPUT_RELEASE, KEY_F11, o), 1);
	CHECK_EQ(o[0].dest, 2);
	CHECK_EQ(feed(&f, INPUT_PRESS, KEY_F12, o), 1);
	CHECK_EQ(o[0].dest, 1);
}

TEST(INPUT_0006, "the key repeat: the held key's character, stopped by its release or another key")
{
	static struct filter f;
	struct filter_config c = base_cfg("de");
	struct filter_out o[FILTER_OUT_MAX], r;

	filter_init(&f, &c);
	CHECK(!filter_repeating(&f));
	CHECK(!filter_repeat(&f, &r));
	feed(&f, INPUT_PRESS, KEY_Y, o);
	CHECK(filter_repeating(&f));
	CHECK_EQ(f.repeat_starts, 1);
	feed(&f, INPUT_RELEASE, KEY_Y, o);
	feed(&f, INPUT_PRESS, KEY_Y, o);                          /* again: a new start */
	CHECK_EQ(f.repeat_starts, 2);
	CHECK(filter_repeat(&f, &r));
	CHECK_EQ(r.ev.type, INPUT_CHAR);
	CHECK_EQ(r.ev.code, 'z');
	CHECK_EQ(r.ev.x, 1);
	CHECK(filter_repeat(&f, &r));
	feed(&f, INPUT_PRESS, KEY_LEFTSHIFT, o);                 /* another key */
	CHECK(!filter_repeating(&f));
	feed(&f, INPUT_PRESS, KEY_Z, o);
	CHECK(filter_repeat(&f, &r));
	CHECK_EQ(r.ev.code, 'Y');
	feed(&f, INPUT_RELEASE, KEY_LEFTSHIFT, o);               /* not the repeated key */
	CHECK(filter_repeating(&f));
	feed(&f, INPUT_RELEASE, KEY_Z, o);
	CHECK(!filter_repeating(&f));
	/* a new config stops it; rate 0: no repeat at all */
	feed(&f, INPUT_PRESS, KEY_A, o);
	c.rate_ms = 0;
	filter_configure(&f, &c);
	CHECK(!filter_repeating(&f));
	feed(&f, INPUT_RELEASE, KEY_A, o);
	feed(&f, INPUT_PRESS, KEY_A, o);
	CHECK(!filter_repeating(&f));
}

TEST(INPUT_0007, "keymap changed while running: the next key uses the new one")
{
	static struct filter f;
	struct filter_config us = base_cfg("us"), de = base_cfg("de");
	struct filter_out o[FILTER_OUT_MAX];

	filter_init(&f, &us);
	feed(&f, INPUT_PRESS, KEY_LEFTSHIFT, o);
	feed(&f, INPUT_PRESS, KEY_2, o);
	CHECK_EQ(o[1].ev.code, '@');
	feed(&f, INPUT_RELEASE, KEY_2, o);
	filter_configure(&f, &de);
	CHECK_EQ(filter_mods(&f), MOD_SHIFT);                    /* held keys stay held */
	feed(&f, INPUT_PRESS, KEY_2, o);
	CHECK_EQ(o[1].ev.code, '"');
}

TEST(INPUT_0008, "key names of the config: names, hex codes, errors")
{
	CHECK_EQ(filter_key_code("A"), KEY_A);
	CHECK_EQ(filter_key_code("LEFTSHIFT"), KEY_LEFTSHIFT);
	CHECK_EQ(filter_key_code("BTN_LEFT"), KEY_BTN_LEFT);
	CHECK_EQ(filter_key_code("0x39"), KEY_CAPSLOCK);
	CHECK_EQ(filter_key_code("0x1ff"), KEY_MAX);
	CHECK_EQ(filter_key_code("0x200"), 0);
	CHECK_EQ(filter_key_code("0x"), 0);
	CHECK_EQ(filter_key_code("0xzz"), 0);
	CHECK_EQ(filter_key_code("a"), 0);
	CHECK_EQ(filter_key_code(""), 0);
	CHECK_EQ(filter_key_code(0), 0);
}
TEST(INPUT_0009, "per source: a device's own repeated press dropped, a gone source's keys released")
{
	static struct filter f;
	struct filter_source a = { 0 }, b = { 0 };
	struct filter_config c = base_cfg("us");
	struct filter_out o[FILTER_OUT_MAX];
	struct input_event press = { INPUT_PRESS, KEY_LEFTSHIFT, 0, 0 };
	struct input_event release = { INPUT_RELEASE, KEY_LEFTSHIFT, 0, 0 };
	struct input_event k = { INPUT_PRESS, KEY_K, 0, 0 };
	unsigned n, count = 0;

	filter_init(&f, &c);
	CHECK_EQ(filter_source_input(&f, &a, &press, o), 1);
	CHECK_EQ(filter_source_input(&f, &a, &press, o), 0);     /* typematic: dropped */
	CHECK_EQ(filter_source_input(&f, &b, &release, o), 0);   /* b does not hold it */
	CHECK_EQ(filter_source_input(&f, &b, &press, o), 0);     /* merged: held already */
	CHECK_EQ(filter_source_input(&f, &a, &release, o), 0);   /* b still holds it */
	CHECK_EQ(filter_mods(&f), MOD_SHIFT);
	CHECK_EQ(filter_source_input(&f, &b, &k, o), 2);
	CHECK_EQ(o[1].ev.code, 'K');
	/* b goes: shift and k released, nothing stays stuck */
	while (filter_source_release(&f, &b, o, &n)) {
		count++;
		CHECK_EQ(n, 1);
		CHECK_EQ(o[0].ev.type, INPUT_RELEASE);
	}
	CHECK_EQ(count, 2);
	CHECK_EQ(n, 0);
	CHECK_EQ(filter_mods(&f), 0);
	CHECK(!filter_repeating(&f));
	CHECK_EQ(filter_source_input(&f, &a, &k, o), 2);
	CHECK_EQ(o[1].ev.code, 'k');
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
