/*
 * Memory and string functions. Written with string instructions or plain
 * loops that gcc cannot turn back into calls to themselves.
 */
#include <argil/string.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

typedef uint64_t bulk_v16 __attribute__((vector_size(16), aligned(16)));

void *memcpy_bulk(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (!(((uintptr_t)d | (uintptr_t)s) & 15)) {
		for (; n >= 64; n -= 64, d += 64, s += 64) {
			bulk_v16 a = ((const bulk_v16 *)s)[0], b = ((const bulk_v16 *)s)[1];
			bulk_v16 e = ((const bulk_v16 *)s)[2], f = ((const bulk_v16 *)s)[3];
			((bulk_v16 *)d)[0] = a;
			((bulk_v16 *)d)[1] = b;
			((bulk_v16 *)d)[2] = e;
			((bulk_v16 *)d)[3] = f;
		}
	}
	if (n)
		memcpy(d, s, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlapping with dst above src: copy backwards. */
	d += n - 1;
	s += n - 1;
	__asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *p = a, *q = b;

	for (size_t i = 0; i < n; i++) {
		if (p[i] != q[i])
			return p[i] < q[i] ? -1 : 1;
	}
	return 0;
}

size_t strlen(const char *s)
{
	const volatile char *p = s;
	size_t n = 0;

	while (p[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || !a[i])
			return (unsigned char)a[i] - (unsigned char)b[i];
	}
	return 0;
}
