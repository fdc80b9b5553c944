/*
 * The event filter's logic (servers/event_filter, docs/devices.md
 * "Input"): events of several sources merged (a key held on two sources
 * is pressed once and released when the last lets go), keys remapped,
 * global keys sent to their own destination only, modifiers (shift,
 * AltGr, ctrl, caps lock) tracked, a character event after each press
 * that gives one under the keymap, and the key repeat (a character again
 * after delay, then every rate, while the key is held: the caller's
 * timer calls filter_repeat). Pure: host-tested in
 * tests/host/event_filter.c.
 */
#ifndef FILTER_H
#define FILTER_H

#include <event_session.h>
#include "keymap.h"

#define FILTER_GLOBALS_MAX 8
#define FILTER_TARGET_MAX 32     /* bytes of a global key's target name */
#define FILTER_OUT_MAX 2         /* events one input event can give */

struct filter_global {
	uint16_t key;
	char target[FILTER_TARGET_MAX];
};

struct filter_config {
	const struct keymap *keymap;
	uint32_t delay_ms, rate_ms;  /* key repeat; rate 0: none */
	uint16_t remap[KEY_MAX + 1]; /* 0: the key stays itself */
	struct filter_global global[FILTER_GLOBALS_MAX];
	unsigned globals;
};

/* An output event: dest 0 is the focus (the normal output), 1 + i the
 * target of global key i. */
struct filter_out {
	struct input_event ev;
	unsigned dest;
};

/* What one source (an Event session) holds pressed, by its own codes: a
 * press of a key the source holds already (a device's own repeat) is
 * dropped, so is a release of one it does not hold; when the source goes,
 * its keys are released. */
struct filter_source {
	uint8_t held[(KEY_MAX + 1) / 8];
};

struct filter {
	struct filter_config cfg;
	uint8_t held[KEY_MAX + 1];   /* presses per (remapped) key over all sources */
	bool caps;
	unsigned repeat_key;         /* 0: nothing to repeat */
	uint32_t repeat_char;
	unsigned repeat_starts;      /* counts repeats begun (the caller arms at a change) */
};

void filter_init(struct filter *f, const struct filter_config *cfg);
/* A new config while running: held keys and caps lock stay, the repeat
 * stops. */
void filter_configure(struct filter *f, const struct filter_config *cfg);
/* One input event (valid: input_event_valid); writes up to FILTER_OUT_MAX
 * events to out, returns how many. */
unsigned filter_input(struct filter *f, const struct input_event *in, struct filter_out *out);
/* filter_input for an event of source src (see struct filter_source). */
unsigned filter_source_input(struct filter *f, struct filter_source *src,
			     const struct input_event *in, struct filter_out *out);
/* The source is gone: releases its next held key (writes up to
 * FILTER_OUT_MAX events, returns how many); call until it says false. */
bool filter_source_release(struct filter *f, struct filter_source *src, struct filter_out *out,
			   unsigned *n);
/* The modifiers now (enum keymap_mod). */
unsigned filter_mods(const struct filter *f);
/* Whether a key is to repeat (the caller arms its timer with delay_ms
 * after a filter_input that made this true, and with rate_ms after each
 * filter_repeat). */
bool filter_repeating(const struct filter *f);
/* The repeat's next character event (x = 1); false when nothing repeats. */
bool filter_repeat(struct filter *f, struct filter_out *out);

/* Parse "+key" names: the key code of a name of input_keys.h ("A",
 * "LEFTSHIFT", "BTN_LEFT") or of a hex code ("0x39"); 0 for neither. */
unsigned filter_key_code(const char *name);

#endif
