/*
 * The thread pointer of the musl port (0002-thread-pointer.patch): musl
 * reaches errno and the current locale through the structure its thread
 * pointer points to. Components do not set the FS base, and musl's
 * threads are not built, so every thread of a component shares this one
 * structure: errno is per component, not per thread.
 * Compiled with musl's internal headers.
 */
#include "pthread_impl.h"
#include "libc.h"

static struct pthread the_thread = {
	.self = &the_thread,
	.locale = &libc.global_locale,
};

uintptr_t __argil_tp(void)
{
	return (uintptr_t)&the_thread;
}
