/*
 * Scan code set 2 and mouse packets (ps2_decode.h). Portable. Trusts the
 * devices for nothing: unknown codes are counted and dropped, a mouse
 * byte that cannot start a packet is dropped until one can.
 */
#include "ps2_decode.h"

/* set 2 make codes (IBM's keyboard position table), one entry a key */
static const uint16_t set2[0x84] = {
	[0x01] = KEY_F9, [0x03] = KEY_F5, [0x04] = KEY_F3, [0x05] = KEY_F1,
	[0x06] = KEY_F2, [0x07] = KEY_F12, [0x09] = KEY_F10, [0x0a] = KEY_F8,
	[0x0b] = KEY_F6, [0x0c] = KEY_F4, [0x0d] = KEY_TAB, [0x0e] = KEY_GRAVE,
	[0x11] = KEY_LEFTALT, [0x12] = KEY_LEFTSHIFT, [0x14] = KEY_LEFTCTRL,
	[0x15] = KEY_Q, [0x16] = KEY_1, [0x1a] = KEY_Z, [0x1b] = KEY_S, [0x1c] = KEY_A,
	[0x1d] = KEY_W, [0x1e] = KEY_2, [0x21] = KEY_C, [0x22] = KEY_X, [0x23] = KEY_D,
	[0x24] = KEY_E, [0x25] = KEY_4, [0x26] = KEY_3, [0x29] = KEY_SPACE,
	[0x2a] = KEY_V, [0x2b] = KEY_F, [0x2c] = KEY_T, [0x2d] = KEY_R, [0x2e] = KEY_5,
	[0x31] = KEY_N, [0x32] = KEY_B, [0x33] = KEY_H, [0x34] = KEY_G, [0x35] = KEY_Y,
	[0x36] = KEY_6, [0x3a] = KEY_M, [0x3b] = KEY_J, [0x3c] = KEY_U, [0x3d] = KEY_7,
	[0x3e] = KEY_8, [0x41] = KEY_COMMA, [0x42] = KEY_K, [0x43] = KEY_I,
	[0x44] = KEY_O, [0x45] = KEY_0, [0x46] = KEY_9, [0x49] = KEY_DOT,
	[0x4a] = KEY_SLASH, [0x4b] = KEY_L, [0x4c] = KEY_SEMICOLON, [0x4d] = KEY_P,
	[0x4e] = KEY_MINUS, [0x52] = KEY_APOSTROPHE, [0x54] = KEY_LEFTBRACE,
	[0x55] = KEY_EQUAL, [0x58] = KEY_CAPSLOCK, [0x59] = KEY_RIGHTSHIFT,
	[0x5a] = KEY_ENTER, [0x5b] = KEY_RIGHTBRACE, [0x5d] = KEY_BACKSLASH,
	[0x61] = KEY_102ND, [0x66] = KEY_BACKSPACE, [0x69] = KEY_KP_1,
	[0x6b] = KEY_KP_4, [0x6c] = KEY_KP_7, [0x70] = KEY_KP_0, [0x71] = KEY_KP_DOT,
	[0x72] = KEY_KP_2, [0x73] = KEY_KP_5, [0x74] = KEY_KP_6, [0x75] = KEY_KP_8,
	[0x76] = KEY_ESC, [0x77] = KEY_NUMLOCK, [0x78] = KEY_F11, [0x79] = KEY_KP_PLUS,
	[0x7a] = KEY_KP_3, [0x7b] = KEY_KP_MINUS, [0x7c] = KEY_KP_ASTERISK,
	[0x7d] = KEY_KP_9, [0x7e] = KEY_SCROLLLOCK, [0x83] = KEY_F7,
};

/* after 0xe0; 0x12 and 0x59 are the fake shifts around Print Screen and
 * the navigation keys (no entry: dropped without counting) */
static const uint16_t set2_e0[0x80] = {
	[0x11] = KEY_RIGHTALT, [0x14] = KEY_RIGHTCTRL, [0x1f] = KEY_LEFTMETA,
	[0x27] = KEY_RIGHTMETA, [0x2f] = KEY_MENU, [0x4a] = KEY_KP_SLASH,
	[0x5a] = KEY_KP_ENTER, [0x69] = KEY_END, [0x6b] = KEY_LEFT, [0x6c] = KEY_HOME,
	[0x70] = KEY_INSERT, [0x71] = KEY_DELETE, [0x72] = KEY_DOWN, [0x74] = KEY_RIGHT,
	[0x75] = KEY_UP, [0x7a] = KEY_PAGEDOWN, [0x7c] = KEY_PRINT, [0x7d] = KEY_PAGEUP,
};

/* Pause: e1 14 77 e1 f0 14 f0 77, a press with no release */
#define PAUSE_LEN 8

unsigned ps2_set2_key(uint8_t code, bool extended)
{
	if (extended)
		return code < sizeof(set2_e0) / sizeof(set2_e0[0]) ? set2_e0[code] : KEY_NONE;
	return code < sizeof(set2) / sizeof(set2[0]) ? set2[code] : KEY_NONE;
}

bool ps2_kbd_feed(struct ps2_kbd_decoder *k, uint8_t b, struct input_event *ev)
{
	unsigned key;

	if (k->pause) {
		/* the rest of Pause is fixed; the press goes out with its last byte */
		if (--k->pause)
			return false;
		*ev = (struct input_event){ .type = INPUT_PRESS, .code = KEY_PAUSE };
		return true;
	}
	switch (b) {
	case 0xe0:
		k->e0 = true;
		return false;
	case 0xe1:
		k->pause = PAUSE_LEN - 1;
		k->e0 = k->release = false;
		return false;
	case 0xf0:
		k->release = true;
		return false;
	case PS2_ACK:
	case PS2_RESEND:
	case PS2_SELF_TEST_OK:
	case PS2_ERROR0:
	case PS2_ERROR1:
		/* not scan codes: protocol replies and errors end a sequence */
		k->e0 = k->release = false;
		return false;
	}
	key = ps2_set2_key(b, k->e0);
	if (!key && !(k->e0 && (b == 0x12 || b == 0x59)))
		k->unknown++;
	*ev = (struct input_event){ .type = k->release ? INPUT_RELEASE : INPUT_PRESS, .code = key };
	k->e0 = k->release = false;
	return key != KEY_NONE;
}

void ps2_mouse_init(struct ps2_mouse_decoder *m, bool wheel)
{
	*m = (struct ps2_mouse_decoder){ .packet_size = wheel ? 4 : 3 };
}

/* the first byte of a packet: bit 3 is always set */
#define MOUSE_ALWAYS1 0x08
#define MOUSE_X_SIGN 0x10
#define MOUSE_Y_SIGN 0x20
#define MOUSE_X_OVERFLOW 0x40
#define MOUSE_Y_OVERFLOW 0x80

static const uint16_t button_key[PS2_MOUSE_BUTTONS] = {
	KEY_BTN_LEFT, KEY_BTN_RIGHT, KEY_BTN_MIDDLE, KEY_BTN_SIDE, KEY_BTN_EXTRA,
};

unsigned ps2_mouse_feed(struct ps2_mouse_decoder *m, uint8_t b, struct input_event *ev)
{
	unsigned n = 0;
	int32_t dx, dy, dz = 0;
	uint8_t buttons;

	if (m->n == 0 && !(b & MOUSE_ALWAYS1)) {
		m->resyncs++;
		return 0;
	}
	m->buf[m->n++] = b;
	if (m->n < m->packet_size)
		return 0;
	m->n = 0;
	/* 9-bit two's complement; an overflowed axis is dropped (its value
	 * is meaningless) */
	dx = m->buf[1] - ((m->buf[0] & MOUSE_X_SIGN) ? 256 : 0);
	dy = m->buf[2] - ((m->buf[0] & MOUSE_Y_SIGN) ? 256 : 0);
	if (m->buf[0] & MOUSE_X_OVERFLOW)
		dx = 0;
	if (m->buf[0] & MOUSE_Y_OVERFLOW)
		dy = 0;
	buttons = m->buf[0] & 7;
	if (m->packet_size == 4)
		dz = (int8_t)m->buf[3];
	if (dx || dy)
		/* the mouse counts up as positive, events down */
		ev[n++] = (struct input_event){ .type = INPUT_MOTION, .x = dx, .y = -dy };
	if (dz)
		/* the wheel reports a turn towards the user as positive */
		ev[n++] = (struct input_event){ .type = INPUT_WHEEL, .y = -dz };
	for (unsigned i = 0; i < 3; i++) {
		uint8_t bit = (uint8_t)(1u << i);
		if ((buttons ^ m->buttons) & bit)
			ev[n++] = (struct input_event){ .type = (buttons & bit) ? INPUT_PRESS : INPUT_RELEASE,
							.code = button_key[i] };
	}
	m->buttons = buttons;
	return n;
}
