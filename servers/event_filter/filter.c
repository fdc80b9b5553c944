/*
 * The event filter's logic (filter.h). Pure and portable.
 */
#include "filter.h"

#define KEY_CASE(name, code) { #name, code },
static const struct {
	const char *name;
	unsigned code;
} key_table[] = { KEY_NAMES(KEY_CASE) };

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

unsigned filter_key_code(const char *name)
{
	unsigned v = 0;

	if (!name)
		return 0;
	for (unsigned i = 0; i < sizeof(key_table) / sizeof(key_table[0]); i++)
		if (same(key_table[i].name, name))
			return key_table[i].code;
	if (name[0] != '0' || name[1] != 'x' || !name[2])
		return 0;
	for (const char *p = name + 2; *p; p++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return 0;
		v = v * 16 + d;
		if (v > KEY_MAX)
			return 0;
	}
	return v;
}

void filter_init(struct filter *f, const struct filter_config *cfg)
{
	*f = (struct filter){ .cfg = *cfg };
}

void filter_configure(struct filter *f, const struct filter_config *cfg)
{
	f->cfg = *cfg;
	f->repeat_key = 0;
}

unsigned filter_mods(const struct filter *f)
{
	unsigned m = 0;

	if (f->held[KEY_LEFTSHIFT] || f->held[KEY_RIGHTSHIFT])
		m |= MOD_SHIFT;
	if (f->held[KEY_RIGHTALT])
		m |= MOD_ALTGR;
	if (f->held[KEY_LEFTCTRL] || f->held[KEY_RIGHTCTRL])
		m |= MOD_CTRL;
	if (f->caps)
		m |= MOD_CAPS;
	return m;
}

static int global_of(const struct filter *f, unsigned key)
{
	for (unsigned i = 0; i < f->cfg.globals; i++)
		if (f->cfg.global[i].key == key)
			return (int)i;
	return -1;
}

unsigned filter_input(struct filter *f, const struct input_event *in, struct filter_out *out)
{
	unsigned key, n = 0;
	int g;

	if (in->type != INPUT_PRESS && in->type != INPUT_RELEASE) {
		out[0] = (struct filter_out){ *in, 0 };
		return 1;
	}
	key = in->code;
	if (key <= KEY_MAX && f->cfg.remap[key])
		key = f->cfg.remap[key];
	if (key == 0 || key > KEY_MAX)
		return 0;
	if (in->type == INPUT_PRESS) {
		if (f->held[key]++)
			return 0;            /* held on another source already */
	} else {
		if (!f->held[key] || --f->held[key])
			return 0;            /* not held, or still held elsewhere */
	}
	g = global_of(f, key);
	if (g >= 0) {
		out[0] = (struct filter_out){ { in->type, key, 0, 0 }, 1 + (unsigned)g };
		return 1;
	}
	out[n++] = (struct filter_out){ { in->type, key, 0, 0 }, 0 };
	if (in->type == INPUT_RELEASE) {
		if (key == f->repeat_key)
			f->repeat_key = 0;
		return n;
	}
	if (key == KEY_CAPSLOCK)
		f->caps = !f->caps;
	uint32_t c = f->cfg.keymap ? keymap_char(f->cfg.keymap, key, filter_mods(f)) : 0;
	f->repeat_key = 0;
	if (c) {
		out[n++] = (struct filter_out){ { INPUT_CHAR, c, 0, 0 }, 0 };
		if (f->cfg.rate_ms) {
			f->repeat_key = key;
			f->repeat_char = c;
			f->repeat_starts++;
		}
	}
	return n;
}

unsigned filter_source_input(struct filter *f, struct filter_source *src,
			     const struct input_event *in, struct filter_out *out)
{
	unsigned k = in->code;

	if ((in->type == INPUT_PRESS || in->type == INPUT_RELEASE) && k <= KEY_MAX) {
		uint8_t bit = (uint8_t)(1u << (k % 8));
		bool held = src->held[k / 8] & bit;
		if ((in->type == INPUT_PRESS) == held)
			return 0;            /* pressed again, or not held */
		src->held[k / 8] ^= bit;
	}
	return filter_input(f, in, out);
}

bool filter_source_release(struct filter *f, struct filter_source *src, struct filter_out *out,
			   unsigned *n)
{
	for (unsigned k = 0; k <= KEY_MAX; k++)
		if (src->held[k / 8] & (1u << (k % 8))) {
			struct input_event e = { INPUT_RELEASE, k, 0, 0 };
			*n = filter_source_input(f, src, &e, out);
			return true;
		}
	*n = 0;
	return false;
}

bool filter_repeating(const struct filter *f)
{
	return f->repeat_key != 0;
}

bool filter_repeat(struct filter *f, struct filter_out *out)
{
	if (!f->repeat_key)
		return false;
	*out = (struct filter_out){ { INPUT_CHAR, f->repeat_char, 1, 0 }, 0 };
	return true;
}
