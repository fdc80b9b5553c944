/*
 * Core's CSpace and the slot allocators of accounts.
 *
 * At boot core's CSpace is the boot CNode (radix R). cspace_init() builds
 * a root CNode of 2^CORE_TOP_BITS entries, puts the boot CNode at entry 0
 * (so every boot cptr keeps its meaning) and switches core's thread to it.
 * Further entries hold "leaves": CNodes of 2^L slots (L <= R, guarded by
 * R - L bits), each belonging to one account, which pays for it as RAM.
 * Leaves of client accounts are freed as soon as they are empty; core's
 * own are topped up and trimmed only at safe points (core_reserve), so
 * that freeing never recurses into the buddy allocator.
 */
#include "core.h"

#define CORE_LEAF_RADIX 10         /* core's own leaves: 1024 slots */
#define CORE_SLOTS_LOW 1024        /* keep at least this many free for core */
#define CORE_SLOTS_CRIT 192        /* below this, core grows at once (not only at safe points) */
#define CORE_SLOTS_HIGH (CORE_SLOTS_LOW + 2 * (1u << CORE_LEAF_RADIX))

word_t core_low_bits;
cptr_t core_root = INIT_CNODE;
struct account core_acct = { .unlimited = true, .what = "core" };

static struct leaf *leaf_by_top[1u << CORE_TOP_BITS];
static uint64_t top_used[(1u << CORE_TOP_BITS) / 64];
static word_t tops_free;
static struct leaf boot_leaf;
static uint64_t *boot_map;

/* ---- quota ---- */

rpc_status_t acct_charge(struct account *a, word_t ram, word_t caps)
{
	if (!a->unlimited) {
		if (ram > a->ram_quota - a->ram_used)
			return RPC_E_NO_RAM_QUOTA;
		if (caps > a->cap_quota - a->cap_used)
			return RPC_E_NO_CAP_QUOTA;
	}
	a->ram_used += ram;
	a->cap_used += caps;
	return RPC_OK;
}

void acct_release(struct account *a, word_t ram, word_t caps)
{
	if (ram > a->ram_used || caps > a->cap_used)
		core_panic("account released more than it was charged", (long)ram);
	a->ram_used -= ram;
	a->cap_used -= caps;
}

/* ---- retyping into core's slots ---- */

abi_error_t core_retype(cptr_t ut, word_t type, word_t size_bits, cptr_t dest, word_t count)
{
	word_t top = dest >> core_low_bits, idx = dest & ((1ul << core_low_bits) - 1);

	if (core_root == INIT_CNODE)  /* before cspace_init: the boot CNode only */
		return untyped_retype(ut, type, size_bits, INIT_CNODE, 0, 0, idx, count);
	return untyped_retype(ut, type, size_bits, core_root, top, 64 - core_low_bits, idx, count);
}

/* ---- top-level entries ---- */

static word_t top_alloc(void)
{
	for (word_t i = 0; i < (1u << CORE_TOP_BITS) / 64; i++) {
		if (top_used[i] == ~0ull)
			continue;
		word_t b = (word_t)__builtin_ctzll(~top_used[i]);
		top_used[i] |= 1ull << b;
		tops_free--;
		return i * 64 + b;
	}
	return 0;
}

static void top_put(word_t t)
{
	top_used[t / 64] &= ~(1ull << (t % 64));
	tops_free++;
}

word_t cspace_free_tops(void) { return tops_free; }

/* ---- leaves ---- */

static word_t map_words(word_t radix) { return radix >= 6 ? (1ul << radix) / 64 : 1; }

static rpc_status_t leaf_new(struct account *a, word_t radix)
{
	word_t bytes = 1ul << (radix + OBJ_CNODE_SLOT_BITS);
	word_t top;
	cptr_t tmp;
	rpc_status_t st;

	if (radix > core_low_bits)
		return RPC_E_UNAVAILABLE;
	st = acct_charge(a, bytes + heap_charge(sizeof(struct leaf) + map_words(radix) * 8), 0);
	if (st != RPC_OK)
		return st;
	struct leaf *l = core_alloc(sizeof(*l) + map_words(radix) * 8);
	top = top_alloc();
	if (!l || !top)
		goto fail;
	l->map = (uint64_t *)(l + 1);
	/* a temporary slot of core's for the retype, then moved into the root */
	if (slot_get(&core_acct, &tmp) != RPC_OK)
		goto fail;
	l->blk = ut_alloc(radix + OBJ_CNODE_SLOT_BITS, false);
	if (!l->blk) {
		slot_put(&core_acct, tmp);
		goto fail;
	}
	abi_error_t e = core_retype(l->blk->cap, OBJ_CNODE, radix, tmp, 1);
	if (e == E_OK)
		e = cnode_mutate(core_root, top, 64 - core_low_bits, core_root, tmp, 64,
				 radix == core_low_bits ? 0 : cnode_guard(0, core_low_bits - radix));
	slot_put(&core_acct, tmp);
	if (e != E_OK) {
		printf("[core] leaf CNode: error %d\n", e);
		ut_free(l->blk);
		goto fail;
	}
	l->top = top;
	l->radix = radix;
	l->first = 0;
	l->end = 1ul << radix;
	l->used = 0;
	l->next = a->leaves;
	a->leaves = l;
	a->slots_free += l->end;
	leaf_by_top[top] = l;
	return RPC_OK;
fail:
	if (top)
		top_put(top);
	if (l)
		core_free(l, sizeof(*l) + map_words(radix) * 8);
	acct_release(a, bytes + heap_charge(sizeof(struct leaf) + map_words(radix) * 8), 0);
	return RPC_E_UNAVAILABLE;
}

static void leaf_free(struct account *a, struct leaf *l)
{
	word_t bytes = 1ul << (l->radix + OBJ_CNODE_SLOT_BITS);
	struct leaf **pp = &a->leaves;

	while (*pp != l)
		pp = &(*pp)->next;
	*pp = l->next;
	a->slots_free -= l->end - l->first;
	leaf_by_top[l->top] = 0;
	ut_free(l->blk);   /* destroys the CNode and its cap in the root */
	top_put(l->top);
	acct_release(a, bytes + heap_charge(sizeof(struct leaf) + map_words(l->radix) * 8), 0);
	core_free(l, sizeof(*l) + map_words(l->radix) * 8);
}

/* Radix for an account's next leaf: small first, growing. */
static word_t next_radix(struct account *a, word_t need)
{
	word_t n = 0, r;

	if (a == &core_acct)
		r = CORE_LEAF_RADIX;
	else {
		for (struct leaf *l = a->leaves; l; l = l->next)
			n++;
		r = n == 0 ? 4 : n == 1 ? 6 : 8;
	}
	while ((1ul << r) < need)
		r++;
	return r;
}

/* Find n consecutive free slots in leaf l; returns the index or ~0. */
static word_t leaf_find(struct leaf *l, word_t n)
{
	word_t run = 0;

	if (l->end - l->first - l->used < n)
		return ~0ul;
	for (word_t s = l->first; s < l->end; s++) {
		if (n == 1 && (s % 64) == 0 && l->map[s / 64] == ~0ull) {
			s += 63;
			continue;
		}
		if (l->map[s / 64] & (1ull << (s % 64)))
			run = 0;
		else if (++run == n)
			return s + 1 - n;
	}
	return ~0ul;
}

static rpc_status_t get_run(struct account *a, word_t n, bool reserved, cptr_t *out)
{
	static int growing;

	if (a == &core_acct) {
		/* grow while there is still room for the splits a new leaf needs */
		if (a->slots_free < CORE_SLOTS_CRIT + n && !growing) {
			growing = 1;
			leaf_new(a, next_radix(a, n));
			growing = 0;
		}
		for (struct leaf *l = a->leaves; l; l = l->next) {
			word_t i = leaf_find(l, n);
			if (i == ~0ul)
				continue;
			for (word_t k = i; k < i + n; k++)
				l->map[k / 64] |= 1ull << (k % 64);
			l->used += n;
			a->slots_free -= n;
			*out = leaf_cptr(l->top, i);
			return RPC_OK;
		}
		return RPC_E_UNAVAILABLE;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		/* without the reservation, the reserved slots must stay free */
		if (reserved || a->slots_free >= a->slots_reserved + n) {
			for (struct leaf *l = a->leaves; l; l = l->next) {
				word_t i = leaf_find(l, n);
				if (i == ~0ul)
					continue;
				for (word_t k = i; k < i + n; k++)
					l->map[k / 64] |= 1ull << (k % 64);
				l->used += n;
				a->slots_free -= n;
				if (reserved)
					a->slots_reserved -= n;
				*out = leaf_cptr(l->top, i);
				return RPC_OK;
			}
		}
		if (attempt == 0) {
			rpc_status_t st = leaf_new(a, next_radix(a, n));
			if (st != RPC_OK)
				return st;
		}
	}
	return RPC_E_UNAVAILABLE;
}

rpc_status_t slot_get(struct account *a, cptr_t *out)
{
	return get_run(a, 1, false, out);
}

rpc_status_t slot_run(struct account *a, word_t n, cptr_t *out)
{
	if (n == 0 || n > (1ul << core_low_bits))
		return RPC_E_UNAVAILABLE;
	return get_run(a, n, false, out);
}

rpc_status_t slot_take_reserved(struct account *a, cptr_t *out)
{
	if (!a->slots_reserved)
		return RPC_E_UNAVAILABLE;
	return get_run(a, 1, true, out);
}

rpc_status_t slot_reserve(struct account *a, word_t n)
{
	while (a->slots_free < a->slots_reserved + n) {
		word_t missing = a->slots_reserved + n - a->slots_free;
		rpc_status_t st = leaf_new(a, next_radix(a, missing > 256 ? 256 : missing));
		if (st != RPC_OK)
			return st;
	}
	a->slots_reserved += n;
	return RPC_OK;
}

void slot_unreserve(struct account *a, word_t n)
{
	a->slots_reserved -= n;
	/* leaves kept only for the reservation may go now */
	for (struct leaf *l = a->leaves, *nx; l; l = nx) {
		nx = l->next;
		if (a != &core_acct && l->used == 0 && l != &boot_leaf &&
		    a->slots_free - (l->end - l->first) >= a->slots_reserved)
			leaf_free(a, l);
	}
}

void slot_put_run(struct account *a, cptr_t c, word_t n)
{
	struct leaf *l = leaf_by_top[c >> core_low_bits];
	word_t i = c & ((1ul << core_low_bits) - 1);

	if (!l || i + n > l->end)
		core_panic("slot_put of a slot core does not own", (long)c);
	for (word_t k = i; k < i + n; k++) {
		if (!(l->map[k / 64] & (1ull << (k % 64))))
			core_panic("slot_put of a free slot", (long)c);
		l->map[k / 64] &= ~(1ull << (k % 64));
	}
	l->used -= n;
	a->slots_free += n;
	/* client leaves go as soon as they are empty (unless reserved) */
	if (a != &core_acct && l->used == 0 && a->slots_free - (l->end - l->first) >= a->slots_reserved)
		leaf_free(a, l);
}

void slot_put(struct account *a, cptr_t c)
{
	slot_put_run(a, c, 1);
}

void acct_free_leaves(struct account *a)
{
	while (a->leaves) {
		if (a->leaves->used)
			core_panic("account freed with slots in use", (long)a->leaves->used);
		leaf_free(a, a->leaves);
	}
	a->slots_reserved = 0;
}

/* Safe point: keep core's free slots between the two marks. */
void core_reserve(void)
{
	while (core_acct.slots_free < CORE_SLOTS_LOW) {
		if (leaf_new(&core_acct, CORE_LEAF_RADIX) != RPC_OK) {
			printf("[core] cannot grow core's CSpace\n");
			break;
		}
	}
	for (struct leaf *l = core_acct.leaves, *nx; l; l = nx) {
		nx = l->next;
		if (l != &boot_leaf && l->used == 0 &&
		    core_acct.slots_free - (l->end - l->first) >= CORE_SLOTS_LOW &&
		    core_acct.slots_free > CORE_SLOTS_HIGH)
			leaf_free(&core_acct, l);
	}
}

/* Phase 1: the boot CNode's free slots are core's first leaf. */
void cspace_boot(struct bootinfo *bi)
{
	static uint64_t map[(1u << OBJ_CNODE_MAX_RADIX) / 64];

	core_low_bits = bi->cnode_radix;
	boot_map = map;
	boot_leaf.top = 0;
	boot_leaf.radix = core_low_bits;
	boot_leaf.first = bi->empty.start;
	boot_leaf.end = bi->empty.end;
	boot_leaf.map = boot_map;
	core_acct.leaves = &boot_leaf;
	core_acct.slots_free = boot_leaf.end - boot_leaf.first;
	leaf_by_top[0] = &boot_leaf;
	top_used[0] = 1;
	tops_free = (1u << CORE_TOP_BITS) - 1;
}

/* Phase 2: the two-level CSpace. */
void cspace_init(struct bootinfo *bi)
{
	word_t root_bits = CORE_TOP_BITS + OBJ_CNODE_SLOT_BITS;
	struct ublock *blk = ut_alloc(root_bits, false);
	cptr_t raw, guarded;
	abi_error_t e;

	(void)bi;
	if (!blk || slot_get(&core_acct, &raw) != RPC_OK || slot_get(&core_acct, &guarded) != RPC_OK)
		core_panic("no memory for core's root CNode", 0);
	acct_charge(&core_acct, 1ul << root_bits, 0);   /* counted as core's own */
	e = untyped_retype(blk->cap, OBJ_CNODE, CORE_TOP_BITS, INIT_CNODE, 0, 0, raw, 1);
	if (e != E_OK)
		core_panic("root CNode retype", e);
	/* entry 0: the boot CNode without guard, so (0 << R) | slot = slot */
	e = cnode_mint(raw, 0, CORE_TOP_BITS, INIT_CNODE, INIT_CNODE, 64, RIGHTS_ALL, 0);
	if (e != E_OK)
		core_panic("boot CNode into the root", e);
	/* the cap core uses as root: guarded so that cptrs resolve at depth 64 */
	e = cnode_mint(INIT_CNODE, guarded, 64, INIT_CNODE, raw, 64, RIGHTS_ALL,
		       cnode_guard(0, 64 - CORE_TOP_BITS - core_low_bits));
	if (e != E_OK)
		core_panic("guarded root cap", e);
	e = tcb_configure(INIT_TCB, 0, guarded, 0, INIT_VSPACE, ROOT_IPC_BUFFER_VADDR, INIT_IPC_BUFFER);
	if (e != E_OK)
		core_panic("switching core to its root CNode", e);
	core_root = guarded;
}
