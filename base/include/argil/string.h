/* Freestanding string and memory functions (gcc may emit memcpy/memset). */
#ifndef ARGIL_STRING_H
#define ARGIL_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
/* memcpy under its older name for bulk data (blocks, file contents,
 * frames). memcpy itself moves 8-byte words (`rep movsq`) for any size and
 * alignment (base/src/string.c); before, it moved bytes and this one alone
 * moved 16-byte words, for 16-byte aligned buffers only. */
void *memcpy_bulk(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif
