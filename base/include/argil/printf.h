/*
 * Formatted output over SYS_DEBUG_PUTCHAR. Each printf/puts call formats
 * into a buffer on the caller's stack and only then writes it out, so lines
 * from concurrent threads interleave as whole calls (up to PRINTF_BUF
 * bytes), not as characters.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, length l, ll, z; flags '-'
 * and '0'; a width (or '*').
 */
#ifndef ARGIL_PRINTF_H
#define ARGIL_PRINTF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define PRINTF_BUF 256

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int puts(const char *s);   /* writes s and a newline */

/* Where printf/puts output goes: NULL (default) is the kernel debug
 * console; components route it to their LOG session (argil/log.h). Each
 * call hands over one formatted burst. */
extern void (*printf_output)(const char *s, size_t n);

/* One benchmark figure, {"bench": "<name>", "value": <value>, "unit":
 * "<unit>"}, written straight to the kernel debug console (not through
 * printf_output: a component's LOG lines carry a label prefix, and
 * tools/run.py --bench takes only lines that start with {"bench"). */
void bench_line(const char *name, unsigned long value, const char *unit);
/* Sort n benchmark samples in place, smallest first (medians, minima). */
void bench_sort(uint64_t *v, unsigned n);

#endif
