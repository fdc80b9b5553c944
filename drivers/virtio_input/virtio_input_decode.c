/*
 * virtio-input events to Argil input events (virtio_input_decode.h).
 * Trusts the device for nothing: unknown types and codes are counted and
 * ignored, absolute values outside the axis' range are clamped.
 */
#include "virtio_input_decode.h"

/* evdev key code -> USB HID usage (input_keys.h), the keys a PC keyboard
 * has; the numbers are those of the evdev code list the virtio-input
 * specification refers to */
static const uint16_t keys[] = {
	[1] = KEY_ESC,
	[2] = KEY_1, [3] = KEY_2, [4] = KEY_3, [5] = KEY_4, [6] = KEY_5, [7] = KEY_6,
	[8] = KEY_7, [9] = KEY_8, [10] = KEY_9, [11] = KEY_0,
	[12] = KEY_MINUS, [13] = KEY_EQUAL, [14] = KEY_BACKSPACE, [15] = KEY_TAB,
	[16] = KEY_Q, [17] = KEY_W, [18] = KEY_E, [19] = KEY_R, [20] = KEY_T, [21] = KEY_Y,
	[22] = KEY_U, [23] = KEY_I, [24] = KEY_O, [25] = KEY_P,
	[26] = KEY_LEFTBRACE, [27] = KEY_RIGHTBRACE, [28] = KEY_ENTER, [29] = KEY_LEFTCTRL,
	[30] = KEY_A, [31] = KEY_S, [32] = KEY_D, [33] = KEY_F, [34] = KEY_G, [35] = KEY_H,
	[36] = KEY_J, [37] = KEY_K, [38] = KEY_L, [39] = KEY_SEMICOLON, [40] = KEY_APOSTROPHE,
	[41] = KEY_GRAVE, [42] = KEY_LEFTSHIFT, [43] = KEY_BACKSLASH,
	[44] = KEY_Z, [45] = KEY_X, [46] = KEY_C, [47] = KEY_V, [48] = KEY_B, [49] = KEY_N,
	[50] = KEY_M, [51] = KEY_COMMA, [52] = KEY_DOT, [53] = KEY_SLASH, [54] = KEY_RIGHTSHIFT,
	[55] = KEY_KP_ASTERISK, [56] = KEY_LEFTALT, [57] = KEY_SPACE, [58] = KEY_CAPSLOCK,
	[59] = KEY_F1, [60] = KEY_F2, [61] = KEY_F3, [62] = KEY_F4, [63] = KEY_F5,
	[64] = KEY_F6, [65] = KEY_F7, [66] = KEY_F8, [67] = KEY_F9, [68] = KEY_F10,
	[69] = KEY_NUMLOCK, [70] = KEY_SCROLLLOCK,
	[71] = KEY_KP_7, [72] = KEY_KP_8, [73] = KEY_KP_9, [74] = KEY_KP_MINUS,
	[75] = KEY_KP_4, [76] = KEY_KP_5, [77] = KEY_KP_6, [78] = KEY_KP_PLUS,
	[79] = KEY_KP_1, [80] = KEY_KP_2, [81] = KEY_KP_3, [82] = KEY_KP_0, [83] = KEY_KP_DOT,
	[86] = KEY_102ND, [87] = KEY_F11, [88] = KEY_F12,
	[96] = KEY_KP_ENTER, [97] = KEY_RIGHTCTRL, [98] = KEY_KP_SLASH, [99] = KEY_PRINT,
	[100] = KEY_RIGHTALT, [102] = KEY_HOME, [103] = KEY_UP, [104] = KEY_PAGEUP,
	[105] = KEY_LEFT, [106] = KEY_RIGHT, [107] = KEY_END, [108] = KEY_DOWN,
	[109] = KEY_PAGEDOWN, [110] = KEY_INSERT, [111] = KEY_DELETE, [119] = KEY_PAUSE,
	[125] = KEY_LEFTMETA, [126] = KEY_RIGHTMETA, [127] = KEY_MENU,
};

/* evdev buttons BTN_LEFT.. (0x110..0x114) have the same numbers as ours */
#define EVDEV_BTN_FIRST 0x110
#define EVDEV_BTN_LAST 0x114

unsigned vi_key_code(uint16_t code)
{
	if (code < sizeof(keys) / sizeof(keys[0]))
		return keys[code];
	if (code >= EVDEV_BTN_FIRST && code <= EVDEV_BTN_LAST)
		return code;
	return 0;
}

void vi_init(struct vi_decoder *d)
{
	*d = (struct vi_decoder){ 0 };
}

bool vi_set_axis(struct vi_decoder *d, unsigned axis, int32_t min, int32_t max)
{
	if (axis > VI_ABS_Y || min >= max) {
		if (axis <= VI_ABS_Y)
			d->axis[axis].present = false;
		return false;
	}
	d->axis[axis] = (struct vi_axis){ min, max, true };
	return true;
}

static int32_t scale(const struct vi_axis *a, int32_t v)
{
	if (v < a->min)
		v = a->min;
	if (v > a->max)
		v = a->max;
	return (int32_t)(((int64_t)v - a->min) * INPUT_ABS_MAX / ((int64_t)a->max - a->min));
}

unsigned vi_feed(struct vi_decoder *d, uint16_t type, uint16_t code, uint32_t value,
		 struct input_event *out)
{
	int32_t v = (int32_t)value;
	unsigned n = 0, k;

	switch (type) {
	case VI_EV_KEY:
		k = vi_key_code(code);
		if (!k || value > 2) {
			d->unknown++;
			return 0;
		}
		if (value == 2)          /* the device's auto-repeat: event_filter repeats */
			return 0;
		out[0] = (struct input_event){ .type = value ? INPUT_PRESS : INPUT_RELEASE, .code = k };
		return 1;
	case VI_EV_REL:
		if (code == VI_REL_X)
			d->rel_x += v;
		else if (code == VI_REL_Y)
			d->rel_y += v;
		else if (code == VI_REL_WHEEL)
			d->wheel += v;
		else if (code == VI_REL_HWHEEL)
			d->hwheel += v;
		else
			d->unknown++;
		return 0;
	case VI_EV_ABS:
		if (code > VI_ABS_Y || !d->axis[code].present) {
			d->unknown++;
			return 0;
		}
		v = scale(&d->axis[code], v);
		if (code == VI_ABS_X && v != d->abs_x) {
			d->abs_x = v;
			d->abs_changed = true;
		} else if (code == VI_ABS_Y && v != d->abs_y) {
			d->abs_y = v;
			d->abs_changed = true;
		}
		return 0;
	case VI_EV_SYN:
		if (d->rel_x || d->rel_y)
			out[n++] = (struct input_event){ .type = INPUT_MOTION, .x = d->rel_x, .y = d->rel_y };
		if (d->wheel || d->hwheel)
			out[n++] = (struct input_event){ .type = INPUT_WHEEL, .x = d->hwheel, .y = d->wheel };
		if (d->abs_changed)
			out[n++] = (struct input_event){ .type = INPUT_ABSOLUTE, .x = d->abs_x, .y = d->abs_y };
		d->rel_x = d->rel_y = d->wheel = d->hwheel = 0;
		d->abs_changed = false;
		return n;
	case VI_EV_MSC:
	case VI_EV_LED:
	case VI_EV_REP:
		return 0;
	}
	d->unknown++;
	return 0;
}
