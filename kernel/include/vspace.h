/* Address spaces: PML4s with ASIDs, paging structures and frames. */
#ifndef VSPACE_H
#define VSPACE_H

#include <cap.h>
#include <arch/cpu.h>
#include <arch/pcpu.h>

#define ASID_MAX 16384

struct asid_entry {
	uint64_t *pml4;          /* kernel pointer or NULL */
};
extern struct asid_entry asid_table[ASID_MAX];

unsigned asid_alloc(uint64_t *pml4);      /* 0 if none free */
/* Whether a PML4 cap names a live address space (its ASID still maps to it). */
static inline bool vspace_cap_live(const struct cap *c)
{
	unsigned a = cap_asid(c);
	return a && a < ASID_MAX && asid_table[a].pml4 == cap_ptr(c);
}
unsigned asid_free_count(void);
void pml4_init(uint64_t *pml4);          /* copy the kernel half */
void pml4_finalise(unsigned asid);
void vspace_unmap_cap(struct cap *c);     /* frame or table cap being deleted */
void tlb_shootdown(unsigned asid, uint64_t vaddr);

struct inv;
abi_error_t decode_paging(struct inv *iv);

#endif
