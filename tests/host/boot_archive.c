// sources: core/archive.c
// cflags: -Icore
/*
 * Host unit tests of the boot archive's format (core/archive.c, which
 * core/rom.c uses): archives written by the real tools/mkimage.py are
 * accepted with every file where mkimage put it; every malformed header or
 * entry is refused with its own error, never read out of bounds (ASan),
 * and no mutation of a valid archive yields a file outside the module.
 *
 * Area: boot archive.
 */
#include <harness.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "archive.h"

#define PG ARCHIVE_PAGE

static const size_t file_sizes[] = { 0, 1, 4096, 5000, 100 };
#define NFILES (sizeof(file_sizes) / sizeof(file_sizes[0]))

static unsigned char pattern(size_t file, size_t i)
{
	return (unsigned char)(file * 31 + i * 7 + (i >> 8));
}

/* An archive of NFILES files made by tools/mkimage.py's write_archive,
 * read into a buffer of whole pages (as core maps a module). */
static unsigned char *make_archive(size_t *size, size_t *span)
{
	char dir[] = "/tmp/argil_bootarc_XXXXXX", cmd[4096], path[256];
	size_t n = 0;
	unsigned char *buf;
	FILE *f;

	if (!mkdtemp(dir))
		return 0;
	n += (size_t)snprintf(cmd + n, sizeof(cmd) - n,
	                      "python3 -c 'import sys; sys.path.insert(0, \"tools\"); import mkimage; "
	                      "mkimage.write_archive([");
	for (size_t i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/f%zu", dir, i);
		f = fopen(path, "wb");
		if (!f)
			return 0;
		for (size_t b = 0; b < file_sizes[i]; b++)
			fputc(pattern(i, b), f);
		fclose(f);
		n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, "(\"%s\", [\"file%zu\"]),", path, i);
	}
	snprintf(cmd + n, sizeof(cmd) - n, "], \"%s/archive\")'", dir);
	if (system(cmd) != 0)
		return 0;
	snprintf(path, sizeof(path), "%s/archive", dir);
	f = fopen(path, "rb");
	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	*span = (*size + PG - 1) / PG * PG;
	buf = test_alloc(PG, *span);
	memset(buf, 0, *span);
	if (fread(buf, 1, *size, f) != *size)
		buf = 0;
	fclose(f);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 0;
	return buf;
}

/* A fresh copy of mkimage's archive (made once); the run ends if mkimage
 * fails. */
static unsigned char *mkimage_archive(size_t *size, size_t *span)
{
	static unsigned char *made;
	static size_t made_size, made_span;
	unsigned char *d;

	if (!made && !(made = make_archive(&made_size, &made_span))) {
		printf("boot_archive: tools/mkimage.py made no archive\n");
		exit(1);
	}
	d = test_alloc(PG, made_span);
	memcpy(d, made, made_span);
	*size = made_size;
	*span = made_span;
	return d;
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

static unsigned char *entry(unsigned char *d, unsigned i)
{
	return d + ARCHIVE_HEAD + i * ARCHIVE_ENTRY;
}

static enum archive_error check(unsigned char *d, size_t size, size_t span, uint64_t *bad)
{
	uint64_t count;

	return archive_check(d, size, span, 100, &count, bad);
}

TEST(BOOTARC_0001, "an archive of mkimage.py: every file named, where mkimage put it, intact")
{
	size_t size = 0, span = 0;
	unsigned char *d = mkimage_archive(&size, &span);
	uint64_t count, bad;

	CHECK_EQ(archive_check(d, size, span, 100, &count, &bad), ARCHIVE_OK);
	CHECK_EQ(count, NFILES);
	for (size_t i = 0; i < count; i++) {
		struct archive_file f;
		char name[32];
		size_t wrong = 0;

		archive_file(d, i, &f);
		snprintf(name, sizeof(name), "file%zu", i);
		CHECK(!strcmp(f.name, name));
		CHECK_EQ(f.size, file_sizes[i]);
		CHECK_EQ(f.offset % PG, 0);
		CHECK(f.offset + f.size <= span);
		for (size_t b = 0; b < f.size; b++)
			wrong += d[f.offset + b] != pattern(i, b);
		CHECK_EQ(wrong, 0);
	}
	/* exactly the room for its files, and one less */
	CHECK_EQ(archive_check(d, size, span, NFILES, &count, &bad), ARCHIVE_OK);
	CHECK_EQ(archive_check(d, size, span, NFILES - 1, &count, &bad), ARCHIVE_E_COUNT);
	CHECK_EQ(count, 0);
}

TEST(BOOTARC_0002, "the header: too short, no magic, another version, a count beyond the module")
{
	size_t size = 0, span = 0;
	unsigned char *d = mkimage_archive(&size, &span);
	uint64_t bad;

	CHECK_EQ(check(d, 15, 15, &bad), ARCHIVE_E_MAGIC);
	CHECK_EQ(check(d, 0, 0, &bad), ARCHIVE_E_MAGIC);
	d[7] = 'X';
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_E_MAGIC);
	d[7] = 'M';
	put_le(d + 8, 2, 4);
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_E_VERSION);
	put_le(d + 8, 1ull << 32 | 1, 4);   /* only 4 bytes: version 1 again */
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_OK);
	put_le(d + 12, 0xffffffffu, 4);      /* entries far beyond the module */
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_E_COUNT);
	put_le(d + 12, 60, 4);               /* room for 100, but not in 16 + 60 * 80 > a cut module */
	CHECK_EQ(check(d, 16 + 59 * 80, span, &bad), ARCHIVE_E_COUNT);
	put_le(d + 12, 0, 4);                /* an empty archive is valid */
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_OK);
}

TEST(BOOTARC_0003, "an entry: a name without its NUL, an empty name")
{
	size_t size = 0, span = 0;
	unsigned char *d = mkimage_archive(&size, &span);
	uint64_t bad;

	memset(entry(d, 2), 'a', 64);
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_E_ENTRY);
	CHECK_EQ(bad, 3);
	memset(entry(d, 2), 0, 64);
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_E_ENTRY);
	CHECK_EQ(bad, 3);
	memcpy(entry(d, 2), "a name of 63 bytes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 64);
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_OK);
}

TEST(BOOTARC_0004, "an entry: unaligned, in the header, out of order, beyond the module")
{
	size_t size = 0, span = 0;
	unsigned char *d = mkimage_archive(&size, &span);
	unsigned char *e1, *e4;
	uint64_t bad, off1, off4;

	e1 = entry(d, 1);
	e4 = entry(d, 4);
	off1 = e1[64] | (uint64_t)e1[65] << 8 | (uint64_t)e1[66] << 16;
	off4 = e4[64] | (uint64_t)e4[65] << 8 | (uint64_t)e4[66] << 16;

	put_le(e1 + 64, off1 + 8, 8);                 /* not on a page */
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_E_ENTRY);
	CHECK_EQ(bad, 2);
	put_le(e1 + 64, 0, 8);                        /* over the header */
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_E_ENTRY);
	CHECK_EQ(bad, 2);
	put_le(e1 + 64, off1 - PG, 8);                /* over file 1 (an empty file's page) */
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_E_ENTRY);
	CHECK_EQ(bad, 2);
	put_le(e1 + 64, off1, 8);
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_OK);

	put_le(e4 + 64, span, 8);                     /* after the module */
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_E_ENTRY);
	CHECK_EQ(bad, 5);
	put_le(e4 + 64, off4, 8);
	put_le(e4 + 72, span - off4 + 1, 8);          /* one byte beyond */
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_E_ENTRY);
	CHECK_EQ(bad, 5);
	put_le(e4 + 72, ~0ull - off4 + 2, 8);         /* offset + size wraps */
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_E_ENTRY);
	put_le(e4 + 72, span - off4, 8);              /* to the last page's end: allowed */
	CHECK_EQ(check(d, size, span, &bad), ARCHIVE_OK);
}

TEST(BOOTARC_0005, "100,000 mutations of a valid archive: every accepted file inside the module")
{
	size_t size = 0, span = 0;
	unsigned char *d = mkimage_archive(&size, &span);
	unsigned char *m;
	unsigned seed = 12345, outside = 0, accepted = 0;

	m = test_alloc(PG, span);
	for (unsigned round = 0; round < 100000; round++) {
		uint64_t count, bad;

		memcpy(m, d, span);
		for (unsigned k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % (ARCHIVE_HEAD + NFILES * ARCHIVE_ENTRY);
			seed = seed * 1103515245u + 12345u;
			m[at] = (unsigned char)(seed >> 16);
		}
		seed = seed * 1103515245u + 12345u;
		size_t cut = round % 8 ? size : (seed >> 4) % (size + 1);
		if (archive_check(m, cut, round % 8 ? span : cut, 100, &count, &bad) != ARCHIVE_OK)
			continue;
		accepted++;
		for (uint64_t i = 0; i < count; i++) {
			struct archive_file f;

			archive_file(m, i, &f);
			outside += f.offset >= span || f.size > span - f.offset ||
			           f.offset < ARCHIVE_HEAD + count * ARCHIVE_ENTRY || !f.name[0] ||
			           strnlen(f.name, 64) == 64;
		}
	}
	CHECK_EQ(outside, 0);
	CHECK(accepted > 0);
}

int main(int argc, char **argv) { return test_main(argc, argv); }
