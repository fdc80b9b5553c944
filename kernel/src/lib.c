/* The few C library routines the kernel needs (gcc may emit calls to them). */
#include <types.h>

void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;
	if (((uintptr_t)p & 7) == 0 && (n & 7) == 0 && c == 0) {
		uint64_t *q = d;
		for (size_t i = 0; i < n / 8; i++)
			q[i] = 0;
		return d;
	}
	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;
	if ((((uintptr_t)dp | (uintptr_t)sp | n) & 7) == 0) {
		uint64_t *dq = d;
		const uint64_t *sq = s;
		for (size_t i = 0; i < n / 8; i++)
			dq[i] = sq[i];
		return d;
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}
