/*
 * Bounded string building and label helpers (see text.h).
 */
#include <stdarg.h>
#include <argil/string.h>

#include "text.h"

void text_init(struct text *t, char *buf, size_t size)
{
	t->buf = buf;
	t->size = size;
	t->len = 0;
	if (size)
		buf[0] = '\0';
}

void text_putn(struct text *t, const char *s, size_t n)
{
	if (t->len + 1 < t->size) {
		size_t room = t->size - 1 - t->len;
		size_t k = n < room ? n : room;
		memcpy(t->buf + t->len, s, k);
		t->buf[t->len + k] = '\0';
	}
	t->len += n;
}

void text_put(struct text *t, const char *s)
{
	text_putn(t, s, strlen(s));
}

void text_u64(struct text *t, uint64_t v)
{
	char digits[20];
	size_t n = 0;

	do {
		digits[sizeof(digits) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	text_putn(t, digits + sizeof(digits) - n, n);
}

void text_vfmt(struct text *t, const char *fmt, va_list ap)
{
	while (*fmt) {
		const char *p = fmt;
		while (*p && *p != '%')
			p++;
		text_putn(t, fmt, (size_t)(p - fmt));
		if (!*p)
			break;
		p++;
		if (*p == 's') {
			const char *s = va_arg(ap, const char *);
			text_put(t, s ? s : "(null)");
			p++;
		} else if (*p == 'u') {
			text_u64(t, va_arg(ap, unsigned));
			p++;
		} else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'u') {
			text_u64(t, (uint64_t)va_arg(ap, unsigned long long));
			p += 3;
		} else if (*p == '%') {
			text_putn(t, "%", 1);
			p++;
		} else {
			text_putn(t, "%", 1);   /* unknown conversion: printed as is */
		}
		fmt = p;
	}
}

void text_fmt(struct text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	text_vfmt(t, fmt, ap);
	va_end(ap);
}

bool text_ok(const struct text *t)
{
	return t->size && t->len < t->size;
}

bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_ends(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return lx <= ls && memcmp(s + ls - lx, suffix, lx) == 0;
}

bool str_contains(const char *s, const char *needle)
{
	size_t ls = strlen(s), ln = strlen(needle);
	for (size_t i = 0; i + ln <= ls; i++)
		if (memcmp(s + i, needle, ln) == 0)
			return true;
	return false;
}

const char *init_last_element(const char *label)
{
	const char *last = label;
	size_t ls = strlen(label), lsep = sizeof(LABEL_SEP) - 1;

	for (size_t i = 0; i + lsep <= ls; i++)
		if (memcmp(label + i, LABEL_SEP, lsep) == 0)
			last = label + i + lsep;
	return last;
}
