/*
 * Static ELF64 loader (argil/elf.h). elf_parse trusts nothing in the image:
 * every header field is range-checked against the image size before it is
 * used, and all arithmetic is checked for overflow. Portable; the host
 * unit test tests/host/elf.c feeds it malformed images.
 */
#include <argil/elf.h>
#include <argil/elf64.h>

#define PAGE 4096ull

static const char *const names[] = {
	"ok", "image too short", "not an ELF image", "not ELF64 little-endian version 1",
	"not an executable", "not x86_64", "bad program headers", "no or too many loadable segments",
	"malformed segment", "segment outside the allowed range", "segments overlap",
	"entry not in an executable segment",
};

const char *elf_error_name(enum elf_error e)
{
	if ((unsigned)e < sizeof(names) / sizeof(names[0]))
		return names[e];
	return "unknown ELF error";
}

static void copy(void *d, const void *s, size_t n)
{
	unsigned char *dd = d;
	const unsigned char *ss = s;
	while (n--)
		*dd++ = *ss++;
}

enum elf_error elf_parse(const void *image, size_t size, uint64_t min_vaddr, uint64_t max_vaddr,
			 struct elf_image *out)
{
	const unsigned char *p = image;
	struct elf64_ehdr eh;

	out->nsegs = 0;
	out->entry = 0;
	if (size < sizeof(eh))
		return ELF_E_SHORT;
	copy(&eh, p, sizeof(eh));
	if (!elf64_magic_ok(&eh))
		return ELF_E_MAGIC;
	if (eh.ident[4] != ELF_CLASS64 || eh.ident[5] != ELF_DATA_LSB || eh.ident[6] != ELF_VERSION_CURRENT ||
	    eh.version != ELF_VERSION_CURRENT)
		return ELF_E_CLASS;
	if (eh.type != ET_EXEC)
		return ELF_E_TYPE;
	if (eh.machine != EM_X86_64)
		return ELF_E_MACHINE;
	if (eh.phentsize != sizeof(struct elf64_phdr) || eh.phnum == 0 || eh.phoff > size ||
	    (uint64_t)eh.phnum * sizeof(struct elf64_phdr) > size - eh.phoff)
		return ELF_E_PHDR;

	for (unsigned i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;
		copy(&ph, p + eh.phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.type != PT_LOAD)
			continue;
		if (ph.memsz == 0)
			continue;  /* nothing to map */
		if (out->nsegs >= ELF_MAX_SEGMENTS)
			return ELF_E_SEGMENTS;
		if (ph.filesz > ph.memsz || ph.offset > size || ph.filesz > size - ph.offset ||
		    (ph.vaddr % PAGE) != (ph.offset % PAGE))
			return ELF_E_SEGMENT;
		if (ph.memsz > UINT64_MAX - 2 * PAGE || ph.vaddr > UINT64_MAX - 2 * PAGE - ph.memsz)
			return ELF_E_RANGE;
		uint64_t start = ph.vaddr & ~(PAGE - 1);
		uint64_t end = (ph.vaddr + ph.memsz + PAGE - 1) & ~(PAGE - 1);
		if (start < min_vaddr || end > max_vaddr)
			return ELF_E_RANGE;
		for (unsigned j = 0; j < out->nsegs; j++) {
			const struct elf_segment *o = &out->seg[j];
			uint64_t oe = o->page_vaddr + o->pages * PAGE;
			if (start < oe && o->page_vaddr < end)
				return ELF_E_OVERLAP;
		}
		struct elf_segment *s = &out->seg[out->nsegs++];
		s->vaddr = ph.vaddr;
		s->memsz = ph.memsz;
		s->filesz = ph.filesz;
		s->offset = ph.offset;
		s->flags = ph.flags & 7u;
		s->page_vaddr = start;
		s->pages = (end - start) / PAGE;
		s->data_offset = ph.vaddr - start;
	}
	if (out->nsegs == 0)
		return ELF_E_SEGMENTS;
	for (unsigned j = 0; j < out->nsegs; j++) {
		const struct elf_segment *s = &out->seg[j];
		if ((s->flags & ELF_SEG_X) && eh.entry >= s->vaddr && eh.entry - s->vaddr < s->memsz) {
			out->entry = eh.entry;
			return ELF_OK;
		}
	}
	out->nsegs = 0;
	return ELF_E_ENTRY;
}

int elf_load(const void *image, const struct elf_image *elf, elf_segment_fn fn, void *ctx)
{
	const unsigned char *p = image;

	for (unsigned i = 0; i < elf->nsegs; i++) {
		int r = fn(ctx, &elf->seg[i], p + elf->seg[i].offset);
		if (r)
			return r;
	}
	return 0;
}
