/* log_view's line ring (ring.h). */
#include "ring.h"

#include <string.h>

size_t ring_memory(unsigned n)
{
	return (size_t)n * (RING_LINE_MAX + 1);
}

void ring_init(struct ring *r, void *mem, unsigned n)
{
	r->line = mem;
	r->n = n;
	r->total = 0;
}

/* the length of s[0..len) cut to at most max bytes at a character start */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

static void add_line(struct ring *r, const char *label, const char *text, size_t len)
{
	char *out = r->line[r->total % r->n];
	size_t ll = strlen(label), pos = 0;

	if (ll) {
		ll = utf8_cut(label, ll, RING_LINE_MAX / 2);
		memcpy(out, label, ll);
		pos = ll;
		out[pos++] = ':';
		out[pos++] = ' ';
	}
	len = utf8_cut(text, len, RING_LINE_MAX - pos);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		out[pos++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	out[pos] = 0;
	r->total++;
}

unsigned ring_add(struct ring *r, const char *label, const char *text, size_t len)
{
	unsigned added = 0;
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		if (i < len || i > start) {
			add_line(r, label, text + start, i - start);
			added++;
		}
		start = i + 1;
	}
	return added;
}

unsigned ring_count(const struct ring *r)
{
	return r->total < r->n ? (unsigned)r->total : r->n;
}

const char *ring_line(const struct ring *r, unsigned i)
{
	uint64_t first = r->total - ring_count(r);

	if (i >= ring_count(r))
		return 0;
	return r->line[(first + i) % r->n];
}
