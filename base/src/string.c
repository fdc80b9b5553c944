/*
 * Memory and string functions. Written with string instructions or plain
 * loops that gcc cannot turn back into calls to themselves.
 */
#include <argil/string.h>
#include <stdint.h>

/*
 * The copies: 8-byte string moves (`rep movsq`) for the bulk, bytes for a
 * head that aligns the destination to 8 and for the tail. Under QEMU's
 * -icount every iteration of a `rep` prefix counts as an instruction, so
 * `rep movsb` cost an instruction a byte and this one an eighth of that;
 * on hardware both run as fast strings. Any alignment of either side:
 * x86 moves unaligned words.
 */
#define WORDS_FROM 16   /* below this a head and a tail cost more than they save */

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	if (n >= WORDS_FROM) {
		size_t head = -(uintptr_t)d & 7, words;

		n -= head;
		words = n >> 3;
		n &= 7;
		__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(head) : : "memory");
		__asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
	}
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

/* Kept for its callers: memcpy is as fast for every size and alignment. */
void *memcpy_bulk(void *dst, const void *src, size_t n)
{
	return memcpy(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	size_t words, rest;

	/* forward is safe when dst lies below src, even overlapping: each
	 * word is read before anything at or above it is written */
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	/* overlapping with dst above src: backwards, the words from the end
	 * first, then the bytes of the start */
	words = n >> 3;
	rest = n & 7;
	if (words) {
		unsigned char *dw = d + n - 8;
		const unsigned char *sw = s + n - 8;
		__asm__ volatile("std; rep movsq; cld" : "+D"(dw), "+S"(sw), "+c"(words) : : "memory");
	}
	if (rest) {
		unsigned char *db = d + rest - 1;
		const unsigned char *sb = s + rest - 1;
		__asm__ volatile("std; rep movsb; cld" : "+D"(db), "+S"(sb), "+c"(rest) : : "memory");
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	if (n >= WORDS_FROM) {
		size_t head = -(uintptr_t)d & 7, words;
		uint64_t v = (uint8_t)c * 0x0101010101010101ull;

		n -= head;
		words = n >> 3;
		n &= 7;
		__asm__ volatile("rep stosb" : "+D"(d), "+c"(head) : "a"(v) : "memory");
		__asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(v) : "memory");
	}
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
