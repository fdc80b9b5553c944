/*
 * Keymaps of the event filter (servers/event_filter): what character a key
 * (input_keys.h code) gives with the modifiers held, for the layouts us,
 * de, fr and ch-de (the PC 105-key layouts as printed on their keyboards;
 * the dead keys of de, fr and ch-de give their accent as a character of
 * its own, composing is not done). Pure: host-tested in
 * tests/host/event_filter.c.
 */
#ifndef KEYMAP_H
#define KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

struct keymap;

enum keymap_mod {
	MOD_SHIFT = 1,
	MOD_ALTGR = 2,
	MOD_CTRL = 4,
	MOD_CAPS = 8,            /* caps lock on */
};

/* The keymap called name ("us", "de", "fr", "ch-de"); NULL for another. */
const struct keymap *keymap_find(const char *name);
const char *keymap_name(const struct keymap *k);
/* The names of all keymaps, separated by ", " (for error messages). */
const char *keymap_names(void);
/* The Unicode character key gives with the modifiers mods (enum
 * keymap_mod), 0 for none. Ctrl with a letter gives its control
 * character (Ctrl-A 0x01 .. Ctrl-Z 0x1a), with anything else none. */
uint32_t keymap_char(const struct keymap *k, unsigned key, unsigned mods);

#endif
