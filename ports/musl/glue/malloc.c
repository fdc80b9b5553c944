/*
 * musl's own code allocates through __libc_malloc and friends (atexit,
 * for one); in Argil they are base's malloc on the component's heap
 * (argil/heap.h), which components use directly as malloc().
 * Compiled with musl's internal headers.
 */
#include <stdlib.h>

void *__libc_malloc(size_t n)
{
	return malloc(n);
}

void *__libc_calloc(size_t n, size_t size)
{
	return calloc(n, size);
}

void *__libc_realloc(void *p, size_t n)
{
	return realloc(p, n);
}

void __libc_free(void *p)
{
	free(p);
}
