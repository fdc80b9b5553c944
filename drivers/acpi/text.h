/*
 * A growing text buffer on the heap for the acpi report (text.c).
 */
#ifndef ACPI_TEXT_H
#define ACPI_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct text {
	char *buf;
	size_t len, cap;
	bool failed;            /* out of heap: the text is incomplete */
};

void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void text_free(struct text *t);

/* One line on the component's LOG session. (base's log() has the name of
 * the C library's natural logarithm, which the linker would take from the
 * C library port before base: docs/ports.md.) */
void acpi_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
