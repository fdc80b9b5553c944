/*
 * The boot archive's format (tools/mkimage.py writes it, core/rom.c serves
 * its files as ROMs): page 0 onwards holds the header, 16 bytes (the magic
 * "ARGILROM", u32 version 1, u32 count), then count entries of 80 bytes (a
 * name of 64 bytes, NUL-terminated, u64 offset, u64 size; little endian).
 * Each file starts on a page of its own, in order, after the header and
 * inside the module. Portable (host-tested in tests/host/boot_archive.c).
 */
#ifndef CORE_ARCHIVE_H
#define CORE_ARCHIVE_H

#include <stdint.h>

#define ARCHIVE_MAGIC "ARGILROM"
#define ARCHIVE_HEAD 16
#define ARCHIVE_ENTRY 80
#define ARCHIVE_PAGE 4096

enum archive_error {
	ARCHIVE_OK,
	ARCHIVE_E_MAGIC,     /* too short for the header, or no magic */
	ARCHIVE_E_VERSION,   /* a version other than 1 */
	ARCHIVE_E_COUNT,     /* more files than room, or entries beyond the module */
	ARCHIVE_E_ENTRY,     /* an entry's name, offset or size is bad */
};

struct archive_file {
	const char *name;    /* NUL-terminated, inside the archive's entry */
	uint64_t offset;     /* from the archive's start, page aligned */
	uint64_t size;
};

/*
 * Checks the archive at d: size its bytes, span the bytes of the pages
 * that hold it (at least size; files may end in the last page's padding),
 * room the most files the caller can take. ARCHIVE_OK with *count files,
 * or the error with *bad the entry at fault (from 1; ARCHIVE_E_ENTRY only).
 */
enum archive_error archive_check(const unsigned char *d, uint64_t size, uint64_t span,
                                 uint64_t room, uint64_t *count, uint64_t *bad);

/* File i (below the count of a checked archive). */
void archive_file(const unsigned char *d, uint64_t i, struct archive_file *f);

#endif
