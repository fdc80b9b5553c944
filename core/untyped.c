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
 * Nodes are allocated as blocks come into being and freed as they merge,
 * so the bookkeeping follows the number of blocks (free, split and in
 * use), not the size of RAM. They come from core's heap (one 64-byte slab
 * object each), which itself takes pages from this allocator: while the
 * heap gets a page for a node, the nodes that allocation needs come from a
 * small static pool, and so does every node made before the heap is up.
 * Since a node lives exactly as long as its block, freeing everything
 * allocated since some moment also returns every node and heap page taken
 * since then: core's figures come back to what they were.
 */
#include "core.h"

#define POOL_NODES 1024u     /* boot and the heap's own page requests */
#define MAX_BITS 48
#define NODE_ROOM 128        /* nodes kept free on the heap for its own page requests */

static struct ublock pool[POOL_NODES];
static struct ublock *pool_free;
static word_t pool_nodes_free, nodes_live;
static bool heap_up;          /* nodes come from core's heap */
static int in_heap;           /* > 0 while the heap is asked for a node */
static struct ublock *free_head[2][MAX_BITS]; /* [device][bits], address ordered */
static word_t ram_free_bytes, ram_total_bytes, blocks_free;

static bool from_pool(const struct ublock *b) { return b >= pool && b < pool + POOL_NODES; }

static struct ublock *node_new(void)
{
	struct ublock *b = 0;

	if (heap_up && !in_heap) {
		/* keep room for the nodes a new heap page can need, so that
		 * the page's own request takes them from the heap, not the pool */
		in_heap++;
		if (heap_room(sizeof(struct ublock)) < NODE_ROOM)
			heap_grow(sizeof(struct ublock));
		b = core_alloc(sizeof(struct ublock));
		in_heap--;
	} else if (heap_up) {
		b = core_alloc_nogrow(sizeof(struct ublock));
	}
	if (!b && pool_free) {
		b = pool_free;
		pool_free = b->next;
		pool_nodes_free--;
	}
	if (!b)
		return 0;
	memset(b, 0, sizeof(struct ublock));
	nodes_live++;
	return b;
}

static void node_put(struct ublock *b)
{
	nodes_live--;
	if (!from_pool(b)) {
		core_free(b, sizeof(struct ublock));
		return;
	}
	memset(b, 0, sizeof(struct ublock));
	b->next = pool_free;
	pool_free = b;
	pool_nodes_free++;
}

void untyped_heap_ready(void) { heap_up = true; }
word_t ut_nodes_live(void) { return nodes_live; }
word_t ut_pool_free(void) { return pool_nodes_free; }

static void list_insert(struct ublock *b)
{
	struct ublock **head = &free_head[b->device][b->bits];
	struct ublock *prev = 0, *cur = *head;

	while (cur && cur->paddr < b->paddr) {
		prev = cur;
		cur = cur->next;
	}
	b->prev = prev;
	b->next = cur;
	if (cur)
		cur->prev = b;
	if (prev)
		prev->next = b;
	else
		*head = b;
	blocks_free++;
	if (!b->device)
		ram_free_bytes += 1ul << b->bits;
}

static void list_remove(struct ublock *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		free_head[b->device][b->bits] = b->next;
	if (b->next)
		b->next->prev = b->prev;
	b->next = b->prev = 0;
	blocks_free--;
	if (!b->device)
		ram_free_bytes -= 1ul << b->bits;
}

void untyped_init(struct bootinfo *bi)
{
	for (word_t i = POOL_NODES; i > 0; i--) {
		pool[i - 1].next = pool_free;
		pool_free = &pool[i - 1];
	}
	pool_nodes_free = POOL_NODES;
	for (word_t i = 0; i < bi->num_untyped && i < BOOTINFO_MAX_UNTYPED; i++) {
		const struct bootinfo_untyped *u = &bi->untyped_list[i];
		struct ublock *b = node_new();
		if (!b)
			core_panic("no node for a boot untyped block", (long)i);
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

/* Split free block b (already off the free list, so that the allocations
 * of nodes below cannot take it) into two free halves; returns the lower
 * half (off the list), the upper one goes on the list. */
static struct ublock *split(struct ublock *b)
{
	struct ublock *L = node_new(), *H;
	cptr_t c0, c1;

	if (!L)
		return 0;
	H = node_new();
	if (!H) {
		node_put(L);
		return 0;
	}
	if (slot_get(&core_acct, &c0) != RPC_OK) {
		node_put(L);
		node_put(H);
		return 0;
	}
	if (slot_get(&core_acct, &c1) != RPC_OK) {
		slot_put(&core_acct, c0);
		node_put(L);
		node_put(H);
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
		node_put(L);
		node_put(H);
		return 0;
	}
	L->paddr = b->paddr;
	H->paddr = b->paddr + (1ul << (b->bits - 1));
	L->bits = H->bits = b->bits - 1;
	L->device = H->device = b->device;
	L->cap = c0;
	H->cap = c1;
	L->parent = H->parent = b;
	L->state = H->state = UB_FREE;
	L->root = H->root = 0;
	/* a split node is on no free list: child = lower half, next = upper half */
	b->child = L;
	b->next = H;
	b->state = UB_SPLIT;
	list_insert(H);
	return L;
}

static struct ublock *upper_of(struct ublock *parent) { return parent->next; }
static struct ublock *lower_of(struct ublock *parent) { return parent->child; }

/* The lowest free block of 2^bits bytes that ends at or below limit,
 * split off the smallest fitting block that has one (lists are address
 * ordered and a split keeps the lower half, so each list's head is its
 * only candidate). */
static struct ublock *alloc_below(word_t bits, bool device, word_t limit)
{
	int d = device ? 1 : 0;

	if (bits < OBJ_UNTYPED_MIN_BITS)
		bits = OBJ_UNTYPED_MIN_BITS;
	if (bits >= MAX_BITS || limit < (1ul << bits))
		return 0;
	for (word_t k = bits; k < MAX_BITS; k++) {
		struct ublock *b = free_head[d][k];
		if (!b || b->paddr > limit - (1ul << bits))
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

struct ublock *ut_alloc(word_t bits, bool device) { return alloc_below(bits, device, ~0ul); }
struct ublock *ut_alloc_below(word_t bits, word_t limit) { return alloc_below(bits, false, limit); }

struct ublock *ut_alloc_at(word_t paddr, word_t bits)
{
	if (bits < OBJ_PAGE_BITS || (paddr & ((1ul << bits) - 1)))
		return 0;
	for (int d = 0; d < 2; d++) {
		for (word_t k = bits; k < MAX_BITS; k++) {
			for (struct ublock *b = free_head[d][k]; b; b = b->next) {
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
	struct ublock *gone = 0;

	if (e != E_OK)
		printf("[core] revoke of a block failed: %d\n", e);
	b->state = UB_FREE;
	while (b->parent) {
		struct ublock *p = b->parent, *lo = lower_of(p), *hi = upper_of(p);
		struct ublock *sib = b == lo ? hi : lo;
		if (sib->state != UB_FREE)
			break;
		list_remove(sib);
		c_delete(lo->cap);
		c_delete(hi->cap);
		slot_put(&core_acct, lo->cap);
		slot_put(&core_acct, hi->cap);
		/* the nodes go only once the tree is whole again: giving a
		 * heap page back frees a block too */
		lo->next = hi;
		hi->next = gone;
		gone = lo;
		p->child = 0;
		p->next = 0;
		p->state = UB_FREE;
		b = p;
	}
	list_insert(b);
	while (gone) {
		struct ublock *nx = gone->next;
		node_put(gone);
		gone = nx;
	}
}

word_t ut_ram_free(void) { return ram_free_bytes; }
word_t ut_blocks_free(void) { return blocks_free; }
word_t ut_ram_total(void) { return ram_total_bytes; }
