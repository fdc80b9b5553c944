// sources: drivers/ps2/ps2_decode.c
// cflags: -Idrivers/ps2 -Iservers/event/session/include -Ibase/arch/x86_64/include
/*
 * Host unit tests of the PS/2 decoders (drivers/ps2/ps2_decode.c): scan
 * code set 2 with its prefixes, Pause and Print Screen, protocol bytes in
 * the stream; mouse packets with signs, overflow, buttons, the wheel and
 * resynchronisation.
 *
 * Area: PS2.
 */
#include <harness.h>
#include "ps2_decode.h"

/* feed bytes, collect key events as "+code"/"-code" into out */
static unsigned kbd(struct ps2_kbd_decoder *k, const uint8_t *b, unsigned n, struct input_event *out)
{
	unsigned m = 0;
	struct input_event e;

	for (unsigned i = 0; i < n; i++)
		if (ps2_kbd_feed(k, b[i], &e))
			out[m++] = e;
	return m;
}

#define BYTES(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

TEST(PS2_0001, "plain keys press and release in set 2")
{
	struct ps2_kbd_decoder k = { 0 };
	struct input_event e[8];

	CHECK_EQ(kbd(&k, BYTES(0x1c, 0xf0, 0x1c, 0x16, 0x5a, 0xf0, 0x5a), e), 5);
	CHECK_EQ(e[0].type, INPUT_PRESS);
	CHECK_EQ(e[0].code, KEY_A);
	CHECK_EQ(e[1].type, INPUT_RELEASE);
	CHECK_EQ(e[1].code, KEY_A);
	CHECK_EQ(e[2].code, KEY_1);
	CHECK_EQ(e[3].code, KEY_ENTER);
	CHECK_EQ(e[3].type, INPUT_PRESS);
	CHECK_EQ(e[4].type, INPUT_RELEASE);
	CHECK_EQ(ps2_set2_key(0x83, false), KEY_F7);
	CHECK_EQ(ps2_set2_key(0x76, false), KEY_ESC);
	CHECK_EQ(ps2_set2_key(0x84, false), KEY_NONE);
	CHECK_EQ(ps2_set2_key(0xff, true), KEY_NONE);
}

TEST(PS2_0002, "extended keys, the fake shifts of Print Screen, Pause")
{
	struct ps2_kbd_decoder k = { 0 };
	struct input_event e[8];

	/* up, right ctrl release */
	CHECK_EQ(kbd(&k, BYTES(0xe0, 0x75, 0xe0, 0xf0, 0x75, 0xe0, 0xf0, 0x14), e), 3);
	CHECK_EQ(e[0].code, KEY_UP);
	CHECK_EQ(e[1].type, INPUT_RELEASE);
	CHECK_EQ(e[1].code, KEY_UP);
	CHECK_EQ(e[2].code, KEY_RIGHTCTRL);
	/* KP8 without the prefix is not Up */
	CHECK_EQ(kbd(&k, BYTES(0x75), e), 1);
	CHECK_EQ(e[0].code, KEY_KP_8);
	/* Print Screen: e0 12 e0 7c, break e0 f0 7c e0 f0 12 */
	CHECK_EQ(kbd(&k, BYTES(0xe0, 0x12, 0xe0, 0x7c, 0xe0, 0xf0, 0x7c, 0xe0, 0xf0, 0x12), e), 2);
	CHECK_EQ(e[0].code, KEY_PRINT);
	CHECK_EQ(e[0].type, INPUT_PRESS);
	CHECK_EQ(e[1].type, INPUT_RELEASE);
	CHECK_EQ(k.unknown, 0);
	/* Pause: one press for 8 bytes, then a normal key */
	CHECK_EQ(kbd(&k, BYTES(0xe1, 0x14, 0x77, 0xe1, 0xf0, 0x14, 0xf0, 0x77, 0x1c), e), 2);
	CHECK_EQ(e[0].code, KEY_PAUSE);
	CHECK_EQ(e[1].code, KEY_A);
	CHECK_EQ(e[1].type, INPUT_PRESS);
}

TEST(PS2_0003, "protocol bytes end a sequence; unknown codes are counted and dropped")
{
	struct ps2_kbd_decoder k = { 0 };
	struct input_event e[8];

	/* a break prefix cut short by an ACK: the next code is a press */
	CHECK_EQ(kbd(&k, BYTES(0xf0, PS2_ACK, 0x1c), e), 1);
	CHECK_EQ(e[0].type, INPUT_PRESS);
	CHECK_EQ(kbd(&k, BYTES(0xe0, PS2_ERROR1, 0x75), e), 1);
	CHECK_EQ(e[0].code, KEY_KP_8);
	CHECK_EQ(kbd(&k, BYTES(0x02, 0x60, 0xe0, 0x01), e), 0);
	CHECK_EQ(k.unknown, 3);
}

static unsigned mouse(struct ps2_mouse_decoder *m, const uint8_t *b, unsigned n, struct input_event *out)
{
	unsigned c = 0;

	for (unsigned i = 0; i < n; i++)
		c += ps2_mouse_feed(m, b[i], out + c);
	return c;
}

TEST(PS2_0004, "mouse packets: motion with signs, overflow dropped, buttons change")
{
	struct ps2_mouse_decoder m;
	struct input_event e[16];

	ps2_mouse_init(&m, false);
	/* right 5, up 3 (mouse y positive = up = events -3) */
	CHECK_EQ(mouse(&m, BYTES(0x08, 5, 3), e), 1);
	CHECK_EQ(e[0].type, INPUT_MOTION);
	CHECK_EQ((int)e[0].x, 5);
	CHECK_EQ((int)e[0].y, -3);
	/* left 2 (x sign), down 256 - 10 (y sign) */
	CHECK_EQ(mouse(&m, BYTES(0x08 | 0x10 | 0x20, 0xfe, 0xf6), e), 1);
	CHECK_EQ((int)e[0].x, -2);
	CHECK_EQ((int)e[0].y, 10);
	/* left button down, no motion; then right down and left up */
	CHECK_EQ(mouse(&m, BYTES(0x09, 0, 0), e), 1);
	CHECK_EQ(e[0].type, INPUT_PRESS);
	CHECK_EQ(e[0].code, KEY_BTN_LEFT);
	CHECK_EQ(mouse(&m, BYTES(0x0a, 0, 0), e), 2);
	CHECK_EQ(e[0].type, INPUT_RELEASE);
	CHECK_EQ(e[0].code, KEY_BTN_LEFT);
	CHECK_EQ(e[1].code, KEY_BTN_RIGHT);
	/* an overflowed x is dropped, y kept */
	CHECK_EQ(mouse(&m, BYTES(0x0a | 0x40, 0x10, 1), e), 1);
	CHECK_EQ((int)e[0].x, 0);
	CHECK_EQ((int)e[0].y, -1);
}

TEST(PS2_0005, "the wheel in 4-byte packets; resynchronisation on a bad first byte")
{
	struct ps2_mouse_decoder m;
	struct input_event e[16];

	ps2_mouse_init(&m, true);
	CHECK_EQ(mouse(&m, BYTES(0x08, 0, 0, 0xff), e), 1);          /* wheel away: up */
	CHECK_EQ(e[0].type, INPUT_WHEEL);
	CHECK_EQ((int)e[0].y, 1);
	CHECK_EQ(mouse(&m, BYTES(0x0c, 1, 0, 2), e), 3);             /* middle, motion, wheel down 2 */
	CHECK_EQ(e[0].type, INPUT_MOTION);
	CHECK_EQ(e[1].type, INPUT_WHEEL);
	CHECK_EQ((int)e[1].y, -2);
	CHECK_EQ(e[2].code, KEY_BTN_MIDDLE);
	/* bytes without bit 3 cannot start a packet: dropped until one can */
	CHECK_EQ(mouse(&m, BYTES(0x00, 0x05, 0x08, 3, 0, 0), e), 2);
	CHECK_EQ(m.resyncs, 2);
	CHECK_EQ((int)e[0].x, 3);
	CHECK_EQ(e[1].type, INPUT_RELEASE);                        /* the middle button */
	CHECK_EQ(e[1].code, KEY_BTN_MIDDLE);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
