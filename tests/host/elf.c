// sources: base/src/elf.c
/*
 * Host unit tests of the static ELF loader (base/src/elf.c): valid images
 * give the right segments and page view; every malformed header or segment
 * is refused with its own error and never read out of bounds (ASan).
 *
 * Area: ELF.
 */
#include <harness.h>
#include <argil/elf.h>
#include <argil/elf64.h>

#define MIN 0x400000ull
#define MAX 0x10000000ull

/* A valid image: text RX at 0x400000 (entry inside), data RW with bss. */
static unsigned char *image(size_t *size, struct elf64_ehdr **eh, struct elf64_phdr **ph)
{
	size_t n = 3 * 4096;
	unsigned char *p = test_alloc(16, n);
	*eh = (struct elf64_ehdr *)p;
	memcpy((*eh)->ident, "\177ELF\2\1\1", 7);
	(*eh)->type = 2;
	(*eh)->machine = 62;
	(*eh)->version = 1;
	(*eh)->entry = 0x400010;
	(*eh)->phoff = sizeof(struct elf64_ehdr);
	(*eh)->ehsize = sizeof(struct elf64_ehdr);
	(*eh)->phentsize = sizeof(struct elf64_phdr);
	(*eh)->phnum = 3;
	*ph = (struct elf64_phdr *)(p + sizeof(struct elf64_ehdr));
	(*ph)[0] = (struct elf64_phdr){ 1, 5, 0, 0x400000, 0x400000, 4096, 4096, 4096 };
	(*ph)[1] = (struct elf64_phdr){ 1, 6, 4096 + 0x10, 0x401010, 0x401010, 100, 9000, 4096 };
	(*ph)[2] = (struct elf64_phdr){ 4, 4, 0, 0, 0, 0, 0, 4 };   /* PT_NOTE: ignored */
	*size = n;
	return p;
}

TEST(ELF_0001, "a valid image: two loadable segments with their page view")
{
	struct elf64_ehdr *eh;
	struct elf64_phdr *ph;
	size_t n;
	unsigned char *p = image(&n, &eh, &ph);
	struct elf_image e;

	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_OK);
	CHECK_EQ(e.entry, 0x400010);
	CHECK_EQ(e.nsegs, 2);
	CHECK_EQ(e.seg[0].page_vaddr, 0x400000);
	CHECK_EQ(e.seg[0].pages, 1);
	CHECK_EQ(e.seg[0].flags, ELF_SEG_R | ELF_SEG_X);
	CHECK_EQ(e.seg[1].page_vaddr, 0x401000);
	CHECK_EQ(e.seg[1].data_offset, 0x10);
	CHECK_EQ(e.seg[1].pages, 3);   /* 0x401010 + 9000 ends in the third page */
	CHECK_EQ(e.seg[1].flags, ELF_SEG_R | ELF_SEG_W);
}

static int loaded;
static int seg_fn(void *ctx, const struct elf_segment *s, const void *src)
{
	const unsigned char *base = ctx;
	CHECK_EQ((const unsigned char *)src - base, s->offset);
	loaded++;
	return loaded == 2 ? 7 : 0;
}

TEST(ELF_0002, "elf_load hands each segment to the callback and passes its error back")
{
	struct elf64_ehdr *eh;
	struct elf64_phdr *ph;
	size_t n;
	unsigned char *p = image(&n, &eh, &ph);
	struct elf_image e;

	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_OK);
	loaded = 0;
	CHECK_EQ(elf_load(p, &e, seg_fn, p), 7);
	CHECK_EQ(loaded, 2);
}

TEST(ELF_0003, "header errors: short, magic, class, type, machine")
{
	struct elf64_ehdr *eh;
	struct elf64_phdr *ph;
	size_t n;
	unsigned char *p = image(&n, &eh, &ph);
	struct elf_image e;

	CHECK_EQ(elf_parse(p, 10, MIN, MAX, &e), ELF_E_SHORT);
	CHECK_EQ(elf_parse(p, 0, MIN, MAX, &e), ELF_E_SHORT);
	p[1] = 'X';
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_MAGIC);
	p[1] = 'E';
	p[4] = 1;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_CLASS);
	p[4] = 2;
	p[5] = 2;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_CLASS);
	p[5] = 1;
	eh->version = 2;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_CLASS);
	eh->version = 1;
	eh->type = 3;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_TYPE);
	eh->type = 2;
	eh->machine = 3;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_MACHINE);
	eh->machine = 62;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_OK);
}

TEST(ELF_0004, "program header errors: entry size, count, offset beyond the image")
{
	struct elf64_ehdr *eh;
	struct elf64_phdr *ph;
	size_t n;
	unsigned char *p = image(&n, &eh, &ph);
	struct elf_image e;

	eh->phentsize = 32;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_PHDR);
	eh->phentsize = sizeof(struct elf64_phdr);
	eh->phnum = 0;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_PHDR);
	eh->phnum = 3;
	eh->phoff = n - 10;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_PHDR);
	eh->phoff = ~0ull;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_PHDR);
	eh->phoff = n - 1;
	eh->phnum = 0xffff;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_PHDR);
}

TEST(ELF_0005, "segment errors: filesz > memsz, file range, misaligned, range, overlap, entry")
{
	struct elf64_ehdr *eh;
	struct elf64_phdr *ph;
	size_t n;
	unsigned char *p = image(&n, &eh, &ph);
	struct elf_image e;

	ph[1].filesz = 9001;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_SEGMENT);
	ph[1].filesz = 100;
	ph[1].offset = n;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_SEGMENT);
	ph[1].offset = 4096 + 0x11;   /* not congruent with the address */
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_SEGMENT);
	ph[1].offset = 4096 + 0x10;
	ph[1].vaddr = MAX - 4096 + 0x10;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_RANGE);
	ph[1].vaddr = 0x10;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_RANGE);
	ph[1].vaddr = 0xfffffffffffff010ull;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_RANGE);
	ph[1].vaddr = 0x400010;   /* shares a page with the text */
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_OVERLAP);
	ph[1].vaddr = 0x401010;
	ph[1].memsz = ~0ull;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_RANGE);
	ph[1].memsz = 9000;
	eh->entry = 0x401010;     /* in data, not executable */
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_ENTRY);
	eh->entry = 0x401000 - 1 + 1 + 0x1000;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_ENTRY);
	eh->entry = 0x400fff;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_OK);
}

TEST(ELF_0006, "no loadable segment, or more than ELF_MAX_SEGMENTS, is ELF_E_SEGMENTS")
{
	struct elf64_ehdr *eh;
	struct elf64_phdr *ph;
	size_t n = 4096 * 4;
	unsigned char *p = image(&n, &eh, &ph);
	struct elf_image e;

	n = 3 * 4096;
	ph[0].type = 4;
	ph[1].type = 4;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_SEGMENTS);
	/* nine tiny segments on distinct pages */
	eh->phnum = 9;
	CHECK(sizeof(struct elf64_ehdr) + 9 * sizeof(struct elf64_phdr) < n);
	for (int i = 0; i < 9; i++)
		ph[i] = (struct elf64_phdr){ 1, 5, 0, 0x400000 + (uint64_t)i * 0x1000, 0, 32, 32, 4096 };
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_E_SEGMENTS);
	eh->phnum = 8;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_OK);
	/* zero-sized segments are skipped */
	ph[7].memsz = 0;
	ph[7].filesz = 0;
	CHECK_EQ(elf_parse(p, n, MIN, MAX, &e), ELF_OK);
	CHECK_EQ(e.nsegs, 7);
}

TEST(ELF_0007, "every truncation of a valid image is refused without reading past it")
{
	struct elf64_ehdr *eh;
	struct elf64_phdr *ph;
	size_t n;
	unsigned char *p = image(&n, &eh, &ph);
	struct elf_image e;

	for (size_t len = 0; len < 4096 + 0x10 + 100; len++) {
		unsigned char *copy = malloc(len ? len : 1);
		memcpy(copy, p, len);
		int r = elf_parse(copy, len, MIN, MAX, &e);
		free(copy);
		CHECK_MSG(r != ELF_OK, "length %zu accepted", len);
	}
	CHECK_EQ(elf_parse(p, 4096 + 0x10 + 100, MIN, MAX, &e), ELF_OK);
}

TEST(ELF_0008, "error names exist for every error")
{
	for (int i = 0; i <= ELF_E_ENTRY; i++)
		CHECK(elf_error_name((enum elf_error)i) != NULL);
	CHECK(strcmp(elf_error_name((enum elf_error)99), "unknown ELF error") == 0);
}

int main(int argc, char **argv) { return test_main(argc, argv); }
