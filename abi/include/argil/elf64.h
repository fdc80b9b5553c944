/*
 * ELF64 file layouts (System V gABI, x86-64 psABI): the ELF header and
 * program headers, and the constants a static loader checks. Layout only;
 * the kernel's root-task loader (kernel/src/boot.c) and the component
 * loader (base/src/elf.c) both read images through these.
 */
#ifndef ARGIL_ELF64_H
#define ARGIL_ELF64_H

#include <stdint.h>

struct elf64_ehdr {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* ident[] */
#define ELF_MAG0 0x7f                  /* ident[0..3]: 0x7f 'E' 'L' 'F' */
#define ELF_CLASS64 2                  /* ident[4] */
#define ELF_DATA_LSB 1                 /* ident[5] */
#define ELF_VERSION_CURRENT 1          /* ident[6] and version */

#define ET_EXEC 2                      /* type */
#define EM_X86_64 62                   /* machine */

#define PT_LOAD 1                      /* program header type */
#define PF_X 1u                        /* program header flags */
#define PF_W 2u
#define PF_R 4u

static inline int elf64_magic_ok(const struct elf64_ehdr *eh)
{
	return eh->ident[0] == ELF_MAG0 && eh->ident[1] == 'E' && eh->ident[2] == 'L' &&
	       eh->ident[3] == 'F';
}

#endif
