/*
 * log_view's line ring (servers/log_view, docs/gui.md "log_view"): the last
 * N lines of the LOG sessions it serves, each "label: text" cut to
 * RING_LINE_MAX bytes (at a UTF-8 character's start), in memory the
 * caller gives (ring_memory(n) bytes): bounded whatever is logged.
 * Portable (host-tested by tests/host/log_ring.c).
 */
#ifndef LOG_VIEW_RING_H
#define LOG_VIEW_RING_H

#include <stddef.h>
#include <stdint.h>

#define RING_LINE_MAX 160   /* bytes of a line kept, without its NUL */

struct ring {
	char (*line)[RING_LINE_MAX + 1];
	unsigned n;          /* capacity in lines */
	uint64_t total;      /* lines added so far; line k is at k % n */
};

size_t ring_memory(unsigned n);
/* n >= 1 lines in mem[0..ring_memory(n)) */
void ring_init(struct ring *r, void *mem, unsigned n);
/* Adds text[0..len) from 'label': one line per '\n'-separated piece (a
 * final newline makes no empty line; control characters become spaces).
 * Returns the number of lines added. */
unsigned ring_add(struct ring *r, const char *label, const char *text, size_t len);
/* Lines kept: min(total, n). */
unsigned ring_count(const struct ring *r);
/* The i-th oldest line kept (0 <= i < ring_count), NULL beyond. */
const char *ring_line(const struct ring *r, unsigned i);

#endif
