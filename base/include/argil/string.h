/* Freestanding string and memory functions (gcc may emit memcpy/memset). */
#ifndef ARGIL_STRING_H
#define ARGIL_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
/* memcpy for bulk data (blocks, file contents, frames): 64 bytes a step
 * in 16-byte moves when both sides are 16-byte aligned, the rest by
 * memcpy. memcpy is `rep movsb`, which -icount charges a tick a byte:
 * copies of whole megabytes use this one. */
void *memcpy_bulk(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif
