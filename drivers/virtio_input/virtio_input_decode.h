/*
 * virtio-input events (OASIS virtio v1.1, 5.8: type, code, value in the
 * evdev numbering) turned into Argil input events (event_session.h): keys
 * and buttons to press/release with our key codes (input_keys.h: USB HID
 * usages), relative motion and wheels collected until EV_SYN, absolute
 * axes scaled from the device's [min, max] to 0..INPUT_ABS_MAX and
 * reported at EV_SYN when they changed. Pure: host-tested in
 * tests/host/virtio_input_decode.c.
 */
#ifndef VIRTIO_INPUT_DECODE_H
#define VIRTIO_INPUT_DECODE_H

#include <event_session.h>
#include <stdbool.h>
#include <stdint.h>

/* evdev event types and codes used (virtio v1.1, 5.8.6.2) */
enum {
	VI_EV_SYN = 0x00,
	VI_EV_KEY = 0x01,
	VI_EV_REL = 0x02,
	VI_EV_ABS = 0x03,
	VI_EV_MSC = 0x04,
	VI_EV_LED = 0x11,
	VI_EV_REP = 0x14,
};
enum { VI_REL_X = 0, VI_REL_Y = 1, VI_REL_HWHEEL = 6, VI_REL_WHEEL = 8 };
enum { VI_ABS_X = 0, VI_ABS_Y = 1 };

struct vi_axis {
	int32_t min, max;        /* from VIRTIO_INPUT_CFG_ABS_INFO */
	bool present;
};

struct vi_decoder {
	struct vi_axis axis[2];  /* ABS_X, ABS_Y */
	int32_t rel_x, rel_y, wheel, hwheel;
	int32_t abs_x, abs_y;    /* scaled */
	bool abs_changed;
	uint32_t unknown;        /* events of unknown type or code, ignored */
};

#define VI_OUT_MAX 4             /* events one input event can produce */

void vi_init(struct vi_decoder *d);
/* Set an absolute axis' range (min < max, else false: the axis is then
 * not used). */
bool vi_set_axis(struct vi_decoder *d, unsigned axis, int32_t min, int32_t max);
/* One virtio-input event; writes up to VI_OUT_MAX events to out, returns
 * how many. */
unsigned vi_feed(struct vi_decoder *d, uint16_t type, uint16_t code, uint32_t value,
		 struct input_event *out);
/* The key code (input_keys.h) of an evdev key or button code, 0 for none. */
unsigned vi_key_code(uint16_t code);

#endif
