/*
 * A growing text buffer (text.h).
 */
#include <argil/component.h>
#include <argil/log.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "text.h"

void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->failed)
		return;
	for (;;) {
		size_t room = t->cap - t->len;
		va_start(ap, fmt);
		n = vsnprintf(t->buf ? t->buf + t->len : 0, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->failed = true;
			return;
		}
		if ((size_t)n < room) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = t->cap ? t->cap * 2 : 4096;
		while (cap - t->len <= (size_t)n)
			cap *= 2;
		char *b = realloc(t->buf, cap);
		if (!b) {
			t->failed = true;
			return;
		}
		t->buf = b;
		t->cap = cap;
	}
}

void text_free(struct text *t)
{
	free(t->buf);
	t->buf = 0;
	t->len = t->cap = 0;
	t->failed = false;
}

void acpi_log(const char *fmt, ...)
{
	char buf[LOG_WRITE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	log_write(component_env()->log, buf, (word_t)n);
}
