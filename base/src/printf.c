/*
 * printf family over SYS_DEBUG_PUTCHAR. Output of one call is formatted
 * into a stack buffer first and written in one burst (see printf.h).
 * The C functions are weak: a component that links the C library port
 * (ports/musl, docs/ports.md) gets the library's, and base's own calls
 * use them too.
 */
#include <argil/printf.h>
#include <argil/string.h>
#include <arch/syscall.h>
#include <stdint.h>

struct out {
	char *buf;
	size_t size;  /* capacity including the terminating NUL */
	size_t len;   /* characters produced, even past size */
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

/* Emit a number in base 'base'; handles width, '0' and '-' flags. */
static void out_number(struct out *o, uint64_t v, int neg, unsigned base, int upper,
		       int width, int zero, int left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int total = n + (neg ? 1 : 0);
	if (!left && !zero)
		out_pad(o, ' ', width - total);
	if (neg)
		out_char(o, '-');
	if (!left && zero)
		out_pad(o, '0', width - total);
	while (n)
		out_char(o, tmp[--n]);
	if (left)
		out_pad(o, ' ', width - total);
}

__attribute__((weak)) int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		fmt++;
		int zero = 0, left = 0, width = 0, lng = 0;
		for (;; fmt++) {
			if (*fmt == '0')
				zero = 1;
			else if (*fmt == '-')
				left = 1;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
			out_number(&o, mag, v < 0, 10, 0, width, zero, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
			unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			out_number(&o, v, 0, base, *fmt == 'X', width, zero, left);
			break;
		}
		case 'p':
			out_char(&o, '0');
			out_char(&o, 'x');
			out_number(&o, (uint64_t)(uintptr_t)va_arg(ap, void *), 0, 16, 0, width, zero, left);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			if (!left)
				out_pad(&o, ' ', width - 1);
			out_char(&o, c);
			if (left)
				out_pad(&o, ' ', width - 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int n = (int)strlen(s);
			if (!left)
				out_pad(&o, ' ', width - n);
			while (*s)
				out_char(&o, *s++);
			if (left)
				out_pad(&o, ' ', width - n);
			break;
		}
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			out_char(&o, '%');
			out_char(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

__attribute__((weak)) int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void (*printf_output)(const char *s, size_t n);

static void emit(const char *s, size_t n)
{
	if (printf_output) {
		printf_output(s, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		sys_debug_putchar(s[i]);
}

void bench_line(const char *name, unsigned long value, const char *unit)
{
	char line[160];
	int n = snprintf(line, sizeof(line), "{\"bench\": \"%s\", \"value\": %lu, \"unit\": \"%s\"}\n",
			 name, value, unit);

	for (int i = 0; i < n && i < (int)sizeof(line) - 1; i++)
		sys_debug_putchar(line[i]);
}

void bench_sort(uint64_t *v, unsigned n)
{
	/* insertion sort: benchmark sample counts are small */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

__attribute__((weak)) int vprintf(const char *fmt, va_list ap)
{
	char buf[PRINTF_BUF];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	emit(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}

__attribute__((weak)) int printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

__attribute__((weak)) int puts(const char *s)
{
	char buf[PRINTF_BUF];
	size_t n = strlen(s);

	/* Long strings go out in pieces; the newline joins the last one. */
	while (n >= sizeof(buf)) {
		emit(s, sizeof(buf));
		s += sizeof(buf);
		n -= sizeof(buf);
	}
	memcpy(buf, s, n);
	buf[n] = '\n';
	emit(buf, n + 1);
	return 0;
}
