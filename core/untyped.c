/*
 * Physical memory: a buddy allocator over the boot untyped caps. A block
 * is an untyped cap; splitting retypes it into its two halves (each an
 * untyped cap of half the size, lower half first); a block in use is one
 * from which objects are retyped; freeing revokes it (destroying every
 * object made from it and every cap derived from those) and merges it with
 * its buddy while the buddy is free too. The tree is canonical: a block is
 * split exactly when some part of it is in use, so freeing everything
 * allocated since some moment restores the same free blocks.
 *
 * Nodes live in a static table; their caps in core's own slots.
 */
#include "core.h"

#define BOOT_NODES 2048u     /* enough to build core's CSpace and heap */
#define MAX_BITS 48

static struct ublock boot_nodes[BOOT_NODES];   /* index 0 unused: "none" */
static struct ublock *more_nodes;               /* indices BOOT_NODES.. */
static uint32_t node_free_head, nodes_free;
static uint32_t free_head[2][MAX_BITS]; /* [device][bits], address ordered */
static word_t ram_free_bytes, ram_total_bytes, blocks_free;
static struct bootinfo *boot;

static struct ublock *N(uint32_t i)
{
	if (!i)
		return 0;
	return i < BOOT_NODES ? &boot_nodes[i] : &more_nodes[i - BOOT_NODES];
}

static uint32_t I(struct ublock *b)
{
	if (!b)
		return 0;
	if (b >= boot_nodes && b < boot_nodes + BOOT_NODES)
		return (uint32_t)(b - boot_nodes);
	return (uint32_t)(b - more_nodes) + BOOT_NODES;
}

#define nodes_at(i) (*N(i))

static uint32_t node_new(void)
{
	uint32_t i = node_free_head;

	if (!i)
		return 0;
	node_free_head = N(i)->next;
	nodes_free--;
	memset(N(i), 0, sizeof(struct ublock));
	return i;
}

static void node_put(uint32_t i)
{
	memset(N(i), 0, sizeof(struct ublock));
	N(i)->next = node_free_head;
	node_free_head = i;
	nodes_free++;
}

void untyped_grow_nodes(word_t n)
{
	more_nodes = core_alloc(n * sizeof(struct ublock));
	if (!more_nodes)
		core_panic("no memory for the untyped node table", (long)n);
	for (uint32_t i = (uint32_t)(BOOT_NODES + n - 1); i >= BOOT_NODES; i--)
		node_put(i);
}

word_t ut_nodes_free(void) { return nodes_free; }

static void list_insert(struct ublock *b)
{
	uint32_t *head = &free_head[b->device][b->bits];
	uint32_t prev = 0, cur = *head;

	while (cur && nodes_at(cur).paddr < b->paddr) {
		prev = cur;
		cur = nodes_at(cur).next;
	}
	b->prev = prev;
	b->next = cur;
	if (cur)
		nodes_at(cur).prev = I(b);
	if (prev)
		nodes_at(prev).next = I(b);
	else
		*head = I(b);
	blocks_free++;
	if (!b->device)
		ram_free_bytes += 1ul << b->bits;
}

static void list_remove(struct ublock *b)
{
	if (b->prev)
		nodes_at(b->prev).next = b->next;
	else
		free_head[b->device][b->bits] = b->next;
	if (b->next)
		nodes_at(b->next).prev = b->prev;
	b->next = b->prev = 0;
	blocks_free--;
	if (!b->device)
		ram_free_bytes -= 1ul << b->bits;
}

void untyped_init(struct bootinfo *bi)
{
	boot = bi;
	for (uint32_t i = BOOT_NODES - 1; i >= 1; i--)
		node_put(i);
	for (word_t i = 0; i < bi->num_untyped && i < BOOTINFO_MAX_UNTYPED; i++) {
		const struct bootinfo_untyped *u = &bi->untyped_list[i];
		uint32_t n = node_new();
		struct ublock *b = N(n);
		b->paddr = u->paddr;
		b->bits = u->size_bits;
		b->device = u->is_device ? 1 : 0;
		b->cap = bi->untyped.start + i;
		b->root = 1;
		b->state = UB_FREE;
		if (!b->device)
			ram_total_bytes += 1ul << b->bits;
		list_insert(b);
	}
}

/* Split free block b (already off the free list) into two free halves;
 * returns the lower half (off the list), the upper one goes on the list. */
static struct ublock *split(struct ublock *b)
{
	uint32_t lo = node_new(), hi;
	cptr_t c0, c1;

	if (!lo)
		return 0;
	hi = node_new();
	if (!hi) {
		node_put(lo);
		return 0;
	}
	if (slot_get(&core_acct, &c0) != RPC_OK) {
		node_put(lo);
		node_put(hi);
		return 0;
	}
	if (slot_get(&core_acct, &c1) != RPC_OK) {
		slot_put(&core_acct, c0);
		node_put(lo);
		node_put(hi);
		return 0;
	}
	/* two retypes of half the size: the first gets offset 0, the second the upper half */
	abi_error_t e = core_retype(b->cap, OBJ_UNTYPED, b->bits - 1u, c0, 1);
	if (e == E_OK)
		e = core_retype(b->cap, OBJ_UNTYPED, b->bits - 1u, c1, 1);
	if (e != E_OK) {
		printf("[core] split of a %u-bit block failed: %d\n", b->bits, e);
		c_revoke(b->cap);
		slot_put(&core_acct, c0);
		slot_put(&core_acct, c1);
		node_put(lo);
		node_put(hi);
		return 0;
	}
	struct ublock *L = N(lo), *H = N(hi);
	L->paddr = b->paddr;
	H->paddr = b->paddr + (1ul << (b->bits - 1));
	L->bits = H->bits = b->bits - 1;
	L->device = H->device = b->device;
	L->cap = c0;
	H->cap = c1;
	L->parent = H->parent = I(b);
	L->state = H->state = UB_FREE;
	L->root = H->root = 0;
	/* a split node is on no free list: child = lower half, next = upper half */
	b->child = lo;
	b->next = hi;
	b->state = UB_SPLIT;
	list_insert(H);
	return L;
}

static struct ublock *upper_of(struct ublock *parent) { return N(parent->next); }
static struct ublock *lower_of(struct ublock *parent) { return N(parent->child); }

struct ublock *ut_alloc(word_t bits, bool device)
{
	int d = device ? 1 : 0;

	if (bits < OBJ_UNTYPED_MIN_BITS)
		bits = OBJ_UNTYPED_MIN_BITS;
	for (word_t k = bits; k < MAX_BITS; k++) {
		struct ublock *b = N(free_head[d][k]);
		if (!b)
			continue;
		list_remove(b);
		while (b->bits > bits) {
			struct ublock *lo = split(b);
			if (!lo) {
				list_insert(b);
				return 0;
			}
			b = lo;
		}
		b->state = UB_USED;
		return b;
	}
	return 0;
}

struct ublock *ut_alloc_at(word_t paddr, word_t bits)
{
	if (bits < OBJ_PAGE_BITS || (paddr & ((1ul << bits) - 1)))
		return 0;
	for (int d = 0; d < 2; d++) {
		for (word_t k = bits; k < MAX_BITS; k++) {
			for (struct ublock *b = N(free_head[d][k]); b; b = N(b->next)) {
				if (paddr < b->paddr || paddr + (1ul << bits) > b->paddr + (1ul << k))
					continue;
				list_remove(b);
				while (b->bits > bits) {
					struct ublock *lo = split(b);
					if (!lo) {
						list_insert(b);
						return 0;
					}
					if (paddr >= lo->paddr + (1ul << lo->bits)) {
						/* continue in the upper half: put the lower back */
						struct ublock *hi = upper_of(b);
						list_remove(hi);
						list_insert(lo);
						lo = hi;
					}
					b = lo;
				}
				b->state = UB_USED;
				return b;
			}
		}
	}
	return 0;
}

void ut_free(struct ublock *b)
{
	abi_error_t e = c_revoke(b->cap);

	if (e != E_OK)
		printf("[core] revoke of a block failed: %d\n", e);
	b->state = UB_FREE;
	while (b->parent) {
		struct ublock *p = N(b->parent), *lo = lower_of(p), *hi = upper_of(p);
		struct ublock *sib = b == lo ? hi : lo;
		if (sib->state != UB_FREE)
			break;
		list_remove(sib);
		c_delete(lo->cap);
		c_delete(hi->cap);
		slot_put(&core_acct, lo->cap);
		slot_put(&core_acct, hi->cap);
		node_put(I(lo));
		node_put(I(hi));
		p->child = 0;
		p->next = 0;
		p->state = UB_FREE;
		b = p;
	}
	list_insert(b);
}

word_t ut_ram_free(void) { return ram_free_bytes; }
word_t ut_blocks_free(void) { return blocks_free; }
word_t ut_ram_total(void) { return ram_total_bytes; }
