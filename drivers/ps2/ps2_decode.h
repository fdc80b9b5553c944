/*
 * What the PS/2 devices send, decoded (portable: ps2_decode.c, host
 * tested). The keyboard in scan code set 2 (make codes, 0xe0 for the
 * extended keys, 0xf0 before a break code, Pause as one 8-byte sequence
 * without a break, Print Screen with its fake shifts), mapped once to
 * key codes (input_keys.h); the mouse's 3-byte packets, or 4-byte ones
 * with a wheel after the IntelliMouse sequence, to motion, wheel and
 * button events.
 */
#ifndef PS2_DECODE_H
#define PS2_DECODE_H

#include <event_session.h>
#include <stdbool.h>
#include <stdint.h>

/* Bytes of the keyboard protocol that are no scan codes. */
#define PS2_ACK 0xfa
#define PS2_RESEND 0xfe
#define PS2_SELF_TEST_OK 0xaa
#define PS2_ERROR0 0x00
#define PS2_ERROR1 0xff

struct ps2_kbd_decoder {
	bool e0, release;
	uint8_t pause;           /* bytes of the Pause sequence still to come */
	uint32_t unknown;        /* scan codes without a key code */
};

/* Feed one byte; true with *ev set when it completed a key event. */
bool ps2_kbd_feed(struct ps2_kbd_decoder *k, uint8_t byte, struct input_event *ev);

/* The key code of a set 2 make code (extended: after 0xe0); KEY_NONE if
 * none. */
unsigned ps2_set2_key(uint8_t code, bool extended);

#define PS2_MOUSE_BUTTONS 5

struct ps2_mouse_decoder {
	uint8_t packet_size;     /* 3, or 4 with a wheel (IntelliMouse ID 3) */
	uint8_t n;
	uint8_t buf[4];
	uint8_t buttons;         /* bit i: button i is down */
	uint32_t resyncs;        /* bytes dropped to find a packet's start */
};

void ps2_mouse_init(struct ps2_mouse_decoder *m, bool wheel);
/* Feed one byte; the events a completed packet gives (at most
 * 2 + PS2_MOUSE_BUTTONS) into ev, their count returned. */
unsigned ps2_mouse_feed(struct ps2_mouse_decoder *m, uint8_t byte, struct input_event *ev);

#endif
