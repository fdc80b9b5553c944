/*
 * Bounded string building and label helpers for init's policy code.
 *
 * Portable and freestanding: no system calls, no heap. A struct text
 * appends into a caller's buffer, keeps it NUL-terminated and remembers
 * overflow instead of failing on each call (like cfg_writer).
 */
#ifndef INIT_TEXT_H
#define INIT_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>

struct text {
	char *buf;
	size_t size, len;       /* len may exceed size - 1: then it overflowed */
};

void text_init(struct text *t, char *buf, size_t size);
void text_put(struct text *t, const char *s);
void text_putn(struct text *t, const char *s, size_t n);
void text_u64(struct text *t, uint64_t v);
/* %s (NULL prints as "(null)"), %u (unsigned), %llu (uint64_t), %% only */
void text_fmt(struct text *t, const char *fmt, ...);
void text_vfmt(struct text *t, const char *fmt, va_list ap);
bool text_ok(const struct text *t);

bool str_eq(const char *a, const char *b);            /* both NULL counts as equal */
bool str_starts(const char *s, const char *prefix);
bool str_ends(const char *s, const char *suffix);
bool str_contains(const char *s, const char *needle);

/* The separator between the elements of a session label. */
#define LABEL_SEP " -> "

/* The last element of a label: the part after the last " -> ", or all of it. */
const char *init_last_element(const char *label);

#endif
