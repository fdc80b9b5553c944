/*
 * x86_64 address spaces. A PML4 object gets an ASID at retype so that frame
 * and table caps can name the space they are mapped in without a pointer
 * that could dangle; unmapping through a stale ASID finds nothing and only
 * clears the cap. Decoders check everything before they touch a table.
 */
#include <types.h>
#include <kprintf.h>
#include <cap.h>
#include <inv.h>
#include <vspace.h>
#include <smp.h>
#include <arch/mm.h>
#include <arch/cpu.h>
#include <arch/pcpu.h>
#include <arch/smp.h>

struct asid_entry asid_table[ASID_MAX];
static unsigned asid_hint = 1;
static unsigned asids_used;

unsigned asid_free_count(void) { return ASID_MAX - 1 - asids_used; }

unsigned asid_alloc(uint64_t *pml4)
{
	for (unsigned n = 0; n < ASID_MAX; n++) {
		unsigned a = asid_hint + n;
		if (a >= ASID_MAX)
			a -= ASID_MAX - 1;
		if (a != 0 && !asid_table[a].pml4) {
			asid_table[a].pml4 = pml4;
			asid_hint = a + 1 < ASID_MAX ? a + 1 : 1;
			asids_used++;
			return a;
		}
	}
	return 0;
}

void pml4_init(uint64_t *pml4)
{
	for (int i = 256; i < 512; i++)
		pml4[i] = kernel_pml4[i];
}

/* Which CPUs may hold TLB entries of a space: exactly those whose CR3 is
 * its PML4 now (pcpu->cr3). There is no PCID and user mappings are not
 * global, so loading another CR3 drops all of a space's entries and its
 * page-walk caches. A CPU changes pcpu->cr3 only while it holds the big
 * kernel lock (exit_to, the fastpath), or when asked here (remote_process)
 * or by the lock holder here: so the lock holder, which edits the tables
 * before it calls these, reads every other CPU's cr3 reliably. A CPU that
 * has another space loaded is left alone: it walks the edited tables when
 * it loads this space again, after the lock is released. An idle CPU that
 * still has the space loaded runs no user code and touches no user address
 * before it takes the lock and leaves through exit_to, so instead of waking
 * it its cr3 is marked CR3_STALE: no longer equal to any space's, it makes
 * that switch reload CR3. Only a CPU that runs a thread of the space (in
 * user mode, or in the kernel waiting for the lock) gets an IPI and is
 * waited for. */
static bool space_loaded(uint64_t cr3, uint64_t pa)
{
	return (cr3 & ~CR3_STALE) == pa;
}

void pml4_finalise(unsigned asid)
{
	struct asid_entry *e = &asid_table[asid];
	uint64_t pa = virt_to_phys(e->pml4);
	struct pcpu *me = this_cpu();
	if (space_loaded(me->cr3, pa)) {
		me->cr3 = boot_pml4_paddr;
		write_cr3(boot_pml4_paddr);
	}
	/* the table goes away: a CPU that has it loaded, idle or not, must
	 * load another before it is reused */
	for (unsigned c = 0; c < num_cpus; c++)
		if (c != me->index && space_loaded(__atomic_load_n(&pcpus[c].cr3, __ATOMIC_RELAXED), pa))
			remote_request(c, REMOTE_RELOAD_CR3, pa, true);
	e->pml4 = NULL;
	asids_used--;
}

void arch_remote_vspace(struct pcpu *p, uint32_t req)
{
	if (req & REMOTE_RELOAD_CR3) {
		if ((p->cr3 & ~CR3_STALE) == p->remote_cr3) {
			write_cr3(boot_pml4_paddr);
			p->cr3 = boot_pml4_paddr;
		}
	}
	if ((req & REMOTE_FLUSH_TLB) && p->cr3 == p->remote_cr3)
		write_cr3(p->cr3);
}

void tlb_shootdown(unsigned asid, uint64_t vaddr)
{
	uint64_t pa = virt_to_phys(asid_table[asid].pml4);
	struct pcpu *me = this_cpu();
	if (me->cr3 == pa) {
		if (vaddr == ~0ull)
			write_cr3(pa);
		else
			invlpg(vaddr);
	}
	for (unsigned c = 0; c < num_cpus; c++) {
		struct pcpu *q = &pcpus[c];
		if (c == me->index || __atomic_load_n(&q->cr3, __ATOMIC_RELAXED) != pa)
			continue;
		if (__atomic_load_n(&q->cur, __ATOMIC_RELAXED) == q->idle)
			__atomic_store_n(&q->cr3, pa | CR3_STALE, __ATOMIC_RELAXED);
		else
			remote_request(c, REMOTE_FLUSH_TLB, pa, true);
	}
}

/* Walk to the table at 'level' (4 = PML4 ... 1 = PT) that holds vaddr's
 * entry; returns NULL and the missing level if an upper entry is absent. */
static uint64_t *walk(uint64_t *pml4, uint64_t vaddr, int level, int *missing)
{
	uint64_t *t = pml4;
	for (int l = 4; l > level; l--) {
		uint64_t e = t[pt_index(vaddr, l)];
		if (!(e & PTE_P) || (e & PTE_PS)) {
			*missing = l - 1;
			return NULL;
		}
		t = phys_to_virt(pte_addr(e));
	}
	return t;
}

static int table_level(unsigned type)
{
	switch (type) {
	case OBJ_PDPT: return 3;
	case OBJ_PD: return 2;
	case OBJ_PT: return 1;
	default: return 0;
	}
}

/* Clear the entry that maps 'target' at va (level 1 = PT entry ... 3 =
 * PDPT entry) in the space of 'asid', if it is still there; returns
 * whether it was. */
static bool clear_entry(unsigned asid, uint64_t va, int level, uint64_t target, bool frame)
{
	uint64_t *pml4 = asid < ASID_MAX ? asid_table[asid].pml4 : NULL;
	int missing;
	if (!pml4)
		return false;
	uint64_t *t = walk(pml4, va, level, &missing);
	if (!t)
		return false;
	uint64_t *e = &t[pt_index(va, level)];
	if (!(*e & PTE_P))
		return false;
	bool leaf_ps = (*e & PTE_PS) && level > 1;
	if (frame != (level == 1 || leaf_ps))
		return false;
	uint64_t addr = leaf_ps ? (*e & PTE_ADDR_MASK_2M) : pte_addr(*e);
	if (addr != target)
		return false;
	*e = 0;
	return true;
}

/* Remove the mapping a frame or table cap records, if it is still there.
 * A table that leaves its space is emptied: the frames and tables it held
 * must not come back with it when it is mapped again, perhaps elsewhere,
 * after their own caps have been unmapped, deleted or retyped. */
void vspace_unmap_cap(struct cap *c)
{
	unsigned type = cap_type(c);
	if (!cap_mapped(c))
		return;
	unsigned asid = cap_asid(c);
	uint64_t va = cap_mapped_vaddr(c);
	cap_set_mapping(c, 0, 0, false);
	if (type == OBJ_FRAME_4K || type == OBJ_FRAME_2M) {
		if (clear_entry(asid, va, type == OBJ_FRAME_4K ? 1 : 2, cap_paddr(c), true))
			tlb_shootdown(asid, va);
		return;
	}
	uint64_t *table = cap_ptr(c);
	if (clear_entry(asid, va, table_level(type) + 1, virt_to_phys(table), false))
		tlb_shootdown(asid, ~0ull);
	memset(table, 0, 4096);
}

static uint64_t leaf_flags(unsigned rights, unsigned attrs, bool large)
{
	uint64_t f = PTE_P | PTE_U;
	if (rights & RIGHT_WRITE)
		f |= PTE_W;
	if (!(attrs & MAP_EXECUTE))
		f |= PTE_NX;
	if (attrs & MAP_UNCACHED)
		f |= PTE_PCD | PTE_PWT;          /* PAT 3: UC */
	else if (attrs & MAP_WRITE_COMBINING)
		f |= PTE_PWT;                    /* PAT 1: WC */
	if (large)
		f |= PTE_PS;
	return f;
}

/* The PML4 to map into (an extra cap), live. */
static abi_error_t get_vspace(struct inv *iv, struct cte *vspace, uint64_t **pml4, unsigned *asid)
{
	if (!vspace)
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	struct cap *v = &vspace->cap;
	if (cap_type(v) != OBJ_PML4 || !vspace_cap_live(v))
		return inv_err(iv, E_INVALID_CAPABILITY, 1, 0);
	*asid = cap_asid(v);
	*pml4 = cap_ptr(v);
	return E_OK;
}

/* ---- PDPT, PD, PT: map into the next level up, unmap ------------------- */

struct table_map_op {
	uint64_t *ent;             /* the empty entry for the table */
	unsigned asid;
	uint64_t va;
};

static abi_error_t decode_table_map(struct inv *iv, struct table_map_op *op)
{
	struct pdpt_map_args a;         /* the same (vspace, vaddr) at each level */
	int level = table_level(cap_type(iv->cap));
	uint64_t *pml4;
	abi_error_t e;

	if (inv_get_pdpt_map(iv, &a))
		return E_TRUNCATED_MESSAGE;
	if ((e = get_vspace(iv, a.vspace, &pml4, &op->asid)) != E_OK)
		return e;
	if (a.vaddr >= ABI_USER_TOP)
		return inv_err(iv, E_INVALID_ARGUMENT, 0, 0);
	uint64_t span = 1ull << (12 + 9 * level);   /* what one such table covers */
	op->va = ALIGN_DOWN(a.vaddr, span);
	/* a table lives in one place at a time: no copy of its cap may be
	 * mapped either */
	if (mdb_object_mapped(iv->slot))
		return inv_err(iv, E_MAPPED, 0, 0);
	int missing = 0;
	uint64_t *t = walk(pml4, op->va, level + 1, &missing);
	if (!t)
		return inv_err(iv, E_NOT_MAPPED, missing, 0);
	op->ent = &t[pt_index(op->va, level + 1)];
	if (*op->ent & PTE_P)
		return inv_err(iv, E_MAPPED, 0, 0);
	return E_OK;
}

static void invoke_table_map(struct inv *iv, const struct table_map_op *op)
{
	struct cap *c = iv->cap;
	*op->ent = virt_to_phys(cap_ptr(c)) | PTE_P | PTE_W | PTE_U;
	cap_set_mapping(c, op->asid, op->va, true);
}

/* ---- frames: map (or remap), unmap, get address -------------------------- */

struct frame_map_op {
	uint64_t *ent;             /* the entry to write */
	unsigned asid;
	uint64_t va;
	uint64_t flags;            /* leaf flags */
	bool remap;                /* the same mapping, new rights/attributes */
};

static abi_error_t decode_frame_map(struct inv *iv, struct frame_map_op *op)
{
	struct frame_map_args a;
	struct cap *c = iv->cap;
	bool large = cap_type(c) == OBJ_FRAME_2M;
	uint64_t size = large ? (1ull << OBJ_LARGE_PAGE_BITS) : (1ull << OBJ_PAGE_BITS);
	uint64_t *pml4;
	abi_error_t e;

	if (inv_get_frame_map(iv, &a))
		return E_TRUNCATED_MESSAGE;
	if ((e = get_vspace(iv, a.vspace, &pml4, &op->asid)) != E_OK)
		return e;
	uint64_t va = a.vaddr, rights = a.rights, attrs = a.attrs;
	if (!IS_ALIGNED(va, size))
		return inv_err(iv, E_ALIGNMENT, 0, 0);
	/* the last user page stays unmapped: code there could SYSCALL with a
	 * return address that is not canonical */
	if (va >= ABI_USER_TOP || va + size > ABI_USER_TOP - 4096)
		return inv_err(iv, E_INVALID_ARGUMENT, 0, 0);
	if (!(rights & RIGHT_READ) || (rights & ~(uint64_t)(RIGHT_READ | RIGHT_WRITE)))
		return inv_err(iv, E_INVALID_ARGUMENT, 1, 0);
	if ((attrs & ~(uint64_t)(MAP_EXECUTE | MAP_UNCACHED | MAP_WRITE_COMBINING)) ||
	    ((attrs & MAP_UNCACHED) && (attrs & MAP_WRITE_COMBINING)))
		return inv_err(iv, E_INVALID_ARGUMENT, 2, 0);
	unsigned eff = rights & cap_rights(c);
	if (!(eff & RIGHT_READ))
		return inv_err(iv, E_NO_RIGHTS, 0, 0);
	bool remap = false;
	if (cap_mapped(c)) {
		if (cap_asid(c) != op->asid || cap_mapped_vaddr(c) != va)
			return inv_err(iv, E_MAPPED, 0, 0);
		remap = true;
	}
	int level = large ? 2 : 1, missing = 0;
	uint64_t *t = walk(pml4, va, level, &missing);
	if (!t)
		return inv_err(iv, E_NOT_MAPPED, missing, 0);
	uint64_t *ent = &t[pt_index(va, level)];
	if (remap) {
		uint64_t addr = large ? (*ent & PTE_ADDR_MASK_2M) : pte_addr(*ent);
		if (!(*ent & PTE_P) || addr != cap_paddr(c))
			remap = false;   /* the old mapping is gone: map afresh */
	}
	if (!remap && (*ent & PTE_P))
		return inv_err(iv, E_MAPPED, 0, 0);
	op->ent = ent;
	op->va = va;
	op->flags = leaf_flags(eff, (unsigned)attrs, large);
	op->remap = remap;
	return E_OK;
}

static void invoke_frame_map(struct inv *iv, const struct frame_map_op *op)
{
	struct cap *c = iv->cap;
	*op->ent = cap_paddr(c) | op->flags;
	cap_set_mapping(c, op->asid, op->va, true);
	if (op->remap)
		tlb_shootdown(op->asid, op->va);
}

abi_error_t decode_paging(struct inv *iv)
{
	unsigned type = cap_type(iv->cap);
	bool frame = type == OBJ_FRAME_4K || type == OBJ_FRAME_2M;
	switch (iv->label) {
	case PDPT_MAP: case PD_MAP: case PT_MAP:
		if (frame || iv->label != (type == OBJ_PDPT ? PDPT_MAP : type == OBJ_PD ? PD_MAP : PT_MAP))
			break;
		DECODE_INVOKE(table_map, iv);
	case PDPT_UNMAP: case PD_UNMAP: case PT_UNMAP:
		if (frame || iv->label != (type == OBJ_PDPT ? PDPT_UNMAP : type == OBJ_PD ? PD_UNMAP : PT_UNMAP))
			break;
		vspace_unmap_cap(iv->cap);          /* cannot fail: nothing to decode */
		return E_OK;
	case FRAME_MAP:
		if (!frame)
			break;
		DECODE_INVOKE(frame_map, iv);
	case FRAME_UNMAP:
		if (!frame)
			break;
		vspace_unmap_cap(iv->cap);
		return E_OK;
	case FRAME_GET_ADDRESS:
		if (!frame)
			break;
		inv_reply_frame_get_address(iv, cap_paddr(iv->cap));
		return E_OK;
	}
	return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
}
