// sources: drivers/virtio_input/virtio_input_decode.c
// cflags: -Idrivers/virtio_input -Iservers/event/session/include -Ibase/arch/x86_64/include
/*
 * Host unit tests of the virtio-input decoder
 * (drivers/virtio_input/virtio_input_decode.c): evdev key codes to ours,
 * the device's own repeat dropped, relative motion and wheels collected
 * until EV_SYN, absolute axes scaled and clamped, unknown events counted.
 *
 * Area: INPUT.
 */
#include <harness.h>
#include "virtio_input_decode.h"

TEST(VINPUT_0001, "keys and buttons: press, release, the device's repeat dropped, unknown codes")
{
	struct vi_decoder d;
	struct input_event e[VI_OUT_MAX];

	vi_init(&d);
	CHECK_EQ(vi_feed(&d, VI_EV_KEY, 30, 1, e), 1);           /* evdev KEY_A */
	CHECK_EQ(e[0].type, INPUT_PRESS);
	CHECK_EQ(e[0].code, KEY_A);
	CHECK_EQ(vi_feed(&d, VI_EV_KEY, 30, 2, e), 0);
	CHECK_EQ(vi_feed(&d, VI_EV_KEY, 30, 0, e), 1);
	CHECK_EQ(e[0].type, INPUT_RELEASE);
	CHECK_EQ(vi_key_code(1), KEY_ESC);
	CHECK_EQ(vi_key_code(21), KEY_Y);
	CHECK_EQ(vi_key_code(39), KEY_SEMICOLON);
	CHECK_EQ(vi_key_code(100), KEY_RIGHTALT);
	CHECK_EQ(vi_key_code(88), KEY_F12);
	CHECK_EQ(vi_key_code(103), KEY_UP);
	CHECK_EQ(vi_key_code(0x110), KEY_BTN_LEFT);
	CHECK_EQ(vi_key_code(0x114), KEY_BTN_EXTRA);
	CHECK_EQ(vi_key_code(84), 0);
	CHECK_EQ(vi_key_code(0x115), 0);
	CHECK_EQ(vi_feed(&d, VI_EV_KEY, 84, 1, e), 0);
	CHECK_EQ(vi_feed(&d, VI_EV_KEY, 30, 3, e), 0);
	CHECK_EQ(vi_feed(&d, 0x1f, 0, 0, e), 0);
	CHECK_EQ(d.unknown, 3);
	CHECK_EQ(vi_feed(&d, VI_EV_SYN, 0, 0, e), 0);            /* nothing pending */
}

TEST(VINPUT_0002, "relative motion and wheels until EV_SYN")
{
	struct vi_decoder d;
	struct input_event e[VI_OUT_MAX];

	vi_init(&d);
	CHECK_EQ(vi_feed(&d, VI_EV_REL, VI_REL_X, 3, e), 0);
	CHECK_EQ(vi_feed(&d, VI_EV_REL, VI_REL_X, 2, e), 0);
	CHECK_EQ(vi_feed(&d, VI_EV_REL, VI_REL_Y, (uint32_t)-4, e), 0);
	CHECK_EQ(vi_feed(&d, VI_EV_REL, VI_REL_WHEEL, 1, e), 0);
	CHECK_EQ(vi_feed(&d, VI_EV_SYN, 0, 0, e), 2);
	CHECK_EQ(e[0].type, INPUT_MOTION);
	CHECK_EQ(e[0].x, 5);
	CHECK_EQ(e[0].y, -4);
	CHECK_EQ(e[1].type, INPUT_WHEEL);
	CHECK_EQ(e[1].y, 1);
	CHECK_EQ(vi_feed(&d, VI_EV_SYN, 0, 0, e), 0);
}

TEST(VINPUT_0003, "absolute axes: scaled to 0..INPUT_ABS_MAX, clamped, only when changed")
{
	struct vi_decoder d;
	struct input_event e[VI_OUT_MAX];

	vi_init(&d);
	CHECK_EQ(vi_feed(&d, VI_EV_ABS, VI_ABS_X, 5, e), 0);     /* no range yet */
	CHECK_EQ(d.unknown, 1);
	CHECK(!vi_set_axis(&d, VI_ABS_X, 10, 10));
	CHECK(!vi_set_axis(&d, 5, 0, 10));
	CHECK(vi_set_axis(&d, VI_ABS_X, 0, 0x7fff));
	CHECK(vi_set_axis(&d, VI_ABS_Y, -100, 100));
	vi_feed(&d, VI_EV_ABS, VI_ABS_X, 16384, e);
	vi_feed(&d, VI_EV_ABS, VI_ABS_Y, 0, e);
	CHECK_EQ(vi_feed(&d, VI_EV_SYN, 0, 0, e), 1);
	CHECK_EQ(e[0].type, INPUT_ABSOLUTE);
	CHECK_EQ(e[0].x, 16384);
	CHECK_EQ(e[0].y, 16383);
	vi_feed(&d, VI_EV_ABS, VI_ABS_X, 16384, e);              /* no change */
	CHECK_EQ(vi_feed(&d, VI_EV_SYN, 0, 0, e), 0);
	vi_feed(&d, VI_EV_ABS, VI_ABS_X, 0x10000, e);            /* beyond: clamped */
	vi_feed(&d, VI_EV_ABS, VI_ABS_Y, (uint32_t)-500, e);
	CHECK_EQ(vi_feed(&d, VI_EV_SYN, 0, 0, e), 1);
	CHECK_EQ(e[0].x, INPUT_ABS_MAX);
	CHECK_EQ(e[0].y, 0);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
