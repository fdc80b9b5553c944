/*
 * What lwIP asks of its platform (ports/lwip): the C library port provides
 * the standard headers and types; diagnostics, failed assertions and random
 * numbers go to lib/net (lib/net/glue.c), which every user of the port
 * links. x86_64 is little-endian, lwIP's default.
 */
#ifndef ARGIL_LWIP_CC_H
#define ARGIL_LWIP_CC_H

#include <stddef.h>
#include <stdint.h>

void argil_lwip_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void argil_lwip_assert(const char *msg, const char *file, int line) __attribute__((noreturn));
uint32_t argil_lwip_rand(void);
void *argil_lwip_malloc(size_t size);
void *argil_lwip_calloc(size_t n, size_t size);
void argil_lwip_free(void *p);
#include "chksum.h"

#define LWIP_PLATFORM_DIAG(x)       do { argil_lwip_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x)     argil_lwip_assert((x), __FILE__, __LINE__)
#define LWIP_RAND()                 argil_lwip_rand()

#endif
