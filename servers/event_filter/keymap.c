/*
 * The keymaps (keymap.h). Each layout is the us layout with its own keys
 * over it: an entry gives a key's character plain, with shift and with
 * AltGr (0: none). Caps lock acts as shift on the keys whose shifted
 * character is the capital of the plain one.
 */
#include <input_keys.h>
#include "keymap.h"

struct key_chars {
	uint16_t key;
	uint32_t plain, shift, altgr;
};

struct keymap {
	const char *name;
	const struct key_chars *keys;
	unsigned n;
};

/* the us layout's keys besides the letters */
static const struct key_chars us_keys[] = {
	{ KEY_1, '1', '!', 0 }, { KEY_2, '2', '@', 0 }, { KEY_3, '3', '#', 0 },
	{ KEY_4, '4', '$', 0 }, { KEY_5, '5', '%', 0 }, { KEY_6, '6', '^', 0 },
	{ KEY_7, '7', '&', 0 }, { KEY_8, '8', '*', 0 }, { KEY_9, '9', '(', 0 },
	{ KEY_0, '0', ')', 0 }, { KEY_MINUS, '-', '_', 0 }, { KEY_EQUAL, '=', '+', 0 },
	{ KEY_LEFTBRACE, '[', '{', 0 }, { KEY_RIGHTBRACE, ']', '}', 0 },
	{ KEY_BACKSLASH, '\\', '|', 0 }, { KEY_SEMICOLON, ';', ':', 0 },
	{ KEY_APOSTROPHE, '\'', '"', 0 }, { KEY_GRAVE, '`', '~', 0 },
	{ KEY_COMMA, ',', '<', 0 }, { KEY_DOT, '.', '>', 0 }, { KEY_SLASH, '/', '?', 0 },
	{ KEY_102ND, '\\', '|', 0 },
	{ KEY_SPACE, ' ', ' ', 0 }, { KEY_ENTER, '\r', '\r', 0 }, { KEY_TAB, '\t', '\t', 0 },
	{ KEY_BACKSPACE, 0x08, 0x08, 0 }, { KEY_ESC, 0x1b, 0x1b, 0 },
	{ KEY_KP_SLASH, '/', '/', 0 }, { KEY_KP_ASTERISK, '*', '*', 0 },
	{ KEY_KP_MINUS, '-', '-', 0 }, { KEY_KP_PLUS, '+', '+', 0 }, { KEY_KP_ENTER, '\r', '\r', 0 },
};

static const struct key_chars de_keys[] = {
	{ KEY_Y, 'z', 'Z', 0 }, { KEY_Z, 'y', 'Y', 0 },
	{ KEY_Q, 'q', 'Q', '@' }, { KEY_E, 'e', 'E', 0x20ac }, { KEY_M, 'm', 'M', 0xb5 },
	{ KEY_2, '2', '"', 0xb2 }, { KEY_3, '3', 0xa7, 0xb3 }, { KEY_6, '6', '&', 0 },
	{ KEY_7, '7', '/', '{' }, { KEY_8, '8', '(', '[' }, { KEY_9, '9', ')', ']' },
	{ KEY_0, '0', '=', '}' }, { KEY_MINUS, 0xdf, '?', '\\' }, { KEY_EQUAL, 0xb4, '`', 0 },
	{ KEY_LEFTBRACE, 0xfc, 0xdc, 0 }, { KEY_RIGHTBRACE, '+', '*', '~' },
	{ KEY_SEMICOLON, 0xf6, 0xd6, 0 }, { KEY_APOSTROPHE, 0xe4, 0xc4, 0 },
	{ KEY_GRAVE, '^', 0xb0, 0 }, { KEY_BACKSLASH, '#', '\'', 0 },
	{ KEY_COMMA, ',', ';', 0 }, { KEY_DOT, '.', ':', 0 }, { KEY_SLASH, '-', '_', 0 },
	{ KEY_102ND, '<', '>', '|' },
};

static const struct key_chars fr_keys[] = {
	{ KEY_Q, 'a', 'A', 0 }, { KEY_A, 'q', 'Q', 0 }, { KEY_W, 'z', 'Z', 0 },
	{ KEY_Z, 'w', 'W', 0 }, { KEY_SEMICOLON, 'm', 'M', 0 }, { KEY_M, ',', '?', 0 },
	{ KEY_E, 'e', 'E', 0x20ac },
	{ KEY_1, '&', '1', 0 }, { KEY_2, 0xe9, '2', '~' }, { KEY_3, '"', '3', '#' },
	{ KEY_4, '\'', '4', '{' }, { KEY_5, '(', '5', '[' }, { KEY_6, '-', '6', '|' },
	{ KEY_7, 0xe8, '7', '`' }, { KEY_8, '_', '8', '\\' }, { KEY_9, 0xe7, '9', '^' },
	{ KEY_0, 0xe0, '0', '@' }, { KEY_MINUS, ')', 0xb0, ']' }, { KEY_EQUAL, '=', '+', '}' },
	{ KEY_LEFTBRACE, '^', 0xa8, 0 }, { KEY_RIGHTBRACE, '$', 0xa3, 0xa4 },
	{ KEY_APOSTROPHE, 0xf9, '%', 0 }, { KEY_GRAVE, 0xb2, 0, 0 }, { KEY_BACKSLASH, '*', 0xb5, 0 },
	{ KEY_COMMA, ';', '.', 0 }, { KEY_DOT, ':', '/', 0 }, { KEY_SLASH, '!', 0xa7, 0 },
	{ KEY_102ND, '<', '>', 0 },
};

static const struct key_chars ch_de_keys[] = {
	{ KEY_Y, 'z', 'Z', 0 }, { KEY_Z, 'y', 'Y', 0 }, { KEY_E, 'e', 'E', 0x20ac },
	{ KEY_1, '1', '+', 0xa6 }, { KEY_2, '2', '"', '@' }, { KEY_3, '3', '*', '#' },
	{ KEY_4, '4', 0xe7, 0 }, { KEY_5, '5', '%', 0 }, { KEY_6, '6', '&', 0xac },
	{ KEY_7, '7', '/', '|' }, { KEY_8, '8', '(', 0xa2 }, { KEY_9, '9', ')', 0 },
	{ KEY_0, '0', '=', 0 }, { KEY_MINUS, '\'', '?', 0xb4 }, { KEY_EQUAL, '^', '`', '~' },
	{ KEY_LEFTBRACE, 0xfc, 0xe8, '[' }, { KEY_RIGHTBRACE, 0xa8, '!', ']' },
	{ KEY_SEMICOLON, 0xf6, 0xe9, 0 }, { KEY_APOSTROPHE, 0xe4, 0xe0, '{' },
	{ KEY_BACKSLASH, '$', 0xa3, '}' }, { KEY_GRAVE, 0xa7, 0xb0, 0 },
	{ KEY_COMMA, ',', ';', 0 }, { KEY_DOT, '.', ':', 0 }, { KEY_SLASH, '-', '_', 0 },
	{ KEY_102ND, '<', '>', '\\' },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct keymap keymaps[] = {
	{ "us", 0, 0 },
	{ "de", de_keys, N(de_keys) },
	{ "fr", fr_keys, N(fr_keys) },
	{ "ch-de", ch_de_keys, N(ch_de_keys) },
};

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

const struct keymap *keymap_find(const char *name)
{
	for (unsigned i = 0; name && i < N(keymaps); i++)
		if (same(keymaps[i].name, name))
			return &keymaps[i];
	return 0;
}

const char *keymap_name(const struct keymap *k)
{
	return k->name;
}

const char *keymap_names(void)
{
	return "us, de, fr, ch-de";
}

static const struct key_chars *lookup(const struct key_chars *t, unsigned n, unsigned key)
{
	for (unsigned i = 0; i < n; i++)
		if (t[i].key == key)
			return &t[i];
	return 0;
}

/* a lower-case letter of Latin-1 whose capital is c - 0x20 */
static bool has_capital(uint32_t c, uint32_t shifted)
{
	bool lower = (c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7);
	return lower && shifted == c - 0x20;
}

uint32_t keymap_char(const struct keymap *k, unsigned key, unsigned mods)
{
	struct key_chars letter;
	const struct key_chars *e = 0;
	bool shift = mods & MOD_SHIFT;
	uint32_t c;

	if (k->keys)
		e = lookup(k->keys, k->n, key);
	if (!e)
		e = lookup(us_keys, N(us_keys), key);
	if (!e && key >= KEY_A && key <= KEY_Z) {
		letter = (struct key_chars){ (uint16_t)key, 'a' + (key - KEY_A), 'A' + (key - KEY_A), 0 };
		e = &letter;
	}
	if (!e)
		return 0;
	if (mods & MOD_ALTGR)
		return e->altgr;
	if ((mods & MOD_CAPS) && has_capital(e->plain, e->shift))
		shift = !shift;
	c = shift ? e->shift : e->plain;
	if (mods & MOD_CTRL) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			return c & 0x1f;
		return 0;
	}
	return c;
}
