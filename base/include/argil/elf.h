/*
 * The static ELF loader used by core (to start init) and by init (to start
 * its children). elf_parse checks an image completely before anything is
 * loaded; elf_load then hands each loadable segment to the caller's
 * callback, which makes the memory, fills it and maps it into the target
 * address space.
 *
 * Accepted: ELF64, little endian, x86_64, ET_EXEC, version 1; at most
 * ELF_MAX_SEGMENTS PT_LOAD segments, each with filesz <= memsz, file bytes
 * inside the image, vaddr congruent to offset modulo 4 KiB, the page range
 * within [min_vaddr, max_vaddr), pages of different segments not
 * overlapping; the entry inside an executable segment. Everything else is
 * an error naming the first problem found.
 */
#ifndef ARGIL_ELF_H
#define ARGIL_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 8

#define ELF_SEG_R 4u
#define ELF_SEG_W 2u
#define ELF_SEG_X 1u

struct elf_segment {
	uint64_t vaddr, memsz, filesz, offset;
	unsigned flags;          /* ELF_SEG_R/W/X */
	/* page view: [page_vaddr, page_vaddr + pages * 4096) is what to map;
	 * the file bytes go to page_vaddr + data_offset */
	uint64_t page_vaddr, pages, data_offset;
};

struct elf_image {
	uint64_t entry;
	unsigned nsegs;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

enum elf_error {
	ELF_OK = 0,
	ELF_E_SHORT,          /* image smaller than its headers say */
	ELF_E_MAGIC,          /* not ELF */
	ELF_E_CLASS,          /* not 64-bit little-endian version 1 */
	ELF_E_TYPE,           /* not an executable */
	ELF_E_MACHINE,        /* not x86_64 */
	ELF_E_PHDR,           /* program headers malformed or outside the image */
	ELF_E_SEGMENTS,       /* no loadable segment, or too many */
	ELF_E_SEGMENT,        /* a segment is malformed (sizes, alignment, file range) */
	ELF_E_RANGE,          /* a segment outside the allowed address range */
	ELF_E_OVERLAP,        /* two segments share a page */
	ELF_E_ENTRY,          /* entry not in an executable segment */
};

const char *elf_error_name(enum elf_error e);

enum elf_error elf_parse(const void *image, size_t size, uint64_t min_vaddr, uint64_t max_vaddr,
			 struct elf_image *out);

/* Called per segment: make seg->pages pages at seg->page_vaddr in the
 * target with the segment's flags, holding src[0..seg->filesz) at
 * seg->data_offset and zeros elsewhere. Returns 0 or a caller-defined
 * error, which elf_load passes back. */
typedef int (*elf_segment_fn)(void *ctx, const struct elf_segment *seg, const void *src);

int elf_load(const void *image, const struct elf_image *elf, elf_segment_fn fn, void *ctx);

#endif
