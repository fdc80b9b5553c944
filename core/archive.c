/*
 * The boot archive's format: the checks and the entries (archive.h).
 */
#include "archive.h"

static uint64_t le(const unsigned char *p, int bytes)
{
	uint64_t v = 0;

	while (bytes-- > 0)
		v = v << 8 | p[bytes];
	return v;
}

enum archive_error archive_check(const unsigned char *d, uint64_t size, uint64_t span,
                                 uint64_t room, uint64_t *count, uint64_t *bad)
{
	static const char magic[] = ARCHIVE_MAGIC;
	uint64_t n, end;

	*count = 0;
	*bad = 0;
	if (size < ARCHIVE_HEAD)
		return ARCHIVE_E_MAGIC;
	for (int i = 0; i < 8; i++)
		if (d[i] != (unsigned char)magic[i])
			return ARCHIVE_E_MAGIC;
	if (le(d + 8, 4) != 1)
		return ARCHIVE_E_VERSION;
	n = le(d + 12, 4);
	if (n > room || ARCHIVE_HEAD + n * ARCHIVE_ENTRY > size)
		return ARCHIVE_E_COUNT;
	if (span < size)
		span = size;
	end = (ARCHIVE_HEAD + n * ARCHIVE_ENTRY + ARCHIVE_PAGE - 1) & ~(uint64_t)(ARCHIVE_PAGE - 1);
	for (uint64_t i = 0; i < n; i++) {
		const unsigned char *e = d + ARCHIVE_HEAD + i * ARCHIVE_ENTRY;
		uint64_t off = le(e + 64, 8), len = le(e + 72, 8);
		int terminated = 0;

		for (int c = 0; c < 64; c++)
			terminated |= !e[c];
		/* files in order, each on a page of its own, inside the span */
		if (!terminated || !e[0] || off % ARCHIVE_PAGE || off < end || off >= span ||
		    (len ? len : 1) > span - off) {
			*bad = i + 1;
			return ARCHIVE_E_ENTRY;
		}
		end = off + (len ? len : 1);
	}
	*count = n;
	return ARCHIVE_OK;
}

void archive_file(const unsigned char *d, uint64_t i, struct archive_file *f)
{
	const unsigned char *e = d + ARCHIVE_HEAD + i * ARCHIVE_ENTRY;

	f->name = (const char *)e;
	f->offset = le(e + 64, 8);
	f->size = le(e + 72, 8);
}
