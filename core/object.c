/*
 * Core's RPC objects: a table from badge to object. A badge is
 * kind << 56 | generation << 24 | index; the generation changes when an
 * index is reused, so a stale capability (or a call still queued) never
 * reaches a new object. Clients get copies of one original badged cap per
 * object; unregistering revokes them all.
 *
 * The table grows from core's heap as objects are registered: chunks of
 * OBJ_CHUNK entries of one word each, the first one static. New objects
 * take the lowest chunk with a free entry, and a chunk other than the
 * first is freed as soon as its last object goes, so the table holds what
 * is in use (core's figures come back after a release). A free entry
 * holds the generation its index gets next and the link of the chunk's
 * free list; a freed chunk leaves its highest generation behind, so its
 * indexes never repeat a badge. Its size is bounded by the index space
 * (2^OBJ_INDEX_BITS entries) and by the RAM core keeps back for it when
 * it gives init its caps (parent.c).
 */
#include "core.h"

#define IDX_MASK ((1ul << OBJ_INDEX_BITS) - 1)
#define GEN_MASK ((1ul << OBJ_GEN_BITS) - 1)
#define CHUNK_BITS 12
#define OBJ_CHUNK (1u << CHUNK_BITS)
#define NCHUNKS (1u << (OBJ_INDEX_BITS - CHUNK_BITS))
#define NO_NEXT OBJ_CHUNK

/* an entry: a struct object * (live) or free: gen << 32 | next << 1 | 1 */
static inline word_t free_entry(word_t gen, word_t next) { return (gen << 32) | (next << 1) | 1; }
static inline word_t entry_gen(word_t e) { return e >> 32; }
static inline word_t entry_next(word_t e) { return (e >> 1) & 0x7fffffff; }

struct chunk {
	word_t *e;                /* OBJ_CHUNK entries; NULL: not present */
	uint16_t used;
	uint16_t free_head;       /* NO_NEXT: full */
	uint32_t gen_base;        /* first generation when (re)made */
};

static word_t chunk0[OBJ_CHUNK];
static struct chunk dir[NCHUNKS];
static uint64_t has_free[NCHUNKS / 64];   /* present and not full */
static word_t used, chunks_present;
cptr_t core_ep;

_Static_assert(OBJ_INDEX_BITS + OBJ_GEN_BITS <= OBJ_KIND_SHIFT, "badge fields overlap");
_Static_assert(OBJ_GEN_BITS <= 32, "a free entry holds the generation in 32 bits");

static void chunk_fill(word_t c)
{
	struct chunk *ch = &dir[c];

	/* index 0 stays unused so that no badge is 0 */
	ch->free_head = NO_NEXT;
	for (word_t i = OBJ_CHUNK; i-- > (c == 0 ? 1u : 0u);) {
		ch->e[i] = free_entry(ch->gen_base, ch->free_head);
		ch->free_head = (uint16_t)i;
	}
	ch->used = 0;
	has_free[c / 64] |= 1ull << (c % 64);
	chunks_present++;
}

void objects_init(void)
{
	dir[0].e = chunk0;
	chunk_fill(0);
}

/* The lowest chunk with a free entry, made if need be; NCHUNKS if none. */
static word_t chunk_with_room(void)
{
	for (word_t w = 0; w < NCHUNKS / 64; w++)
		if (has_free[w])
			return w * 64 + (word_t)__builtin_ctzll(has_free[w]);
	for (word_t c = 1; c < NCHUNKS; c++) {
		if (dir[c].e)
			continue;
		dir[c].e = core_alloc(OBJ_CHUNK * sizeof(word_t));
		if (!dir[c].e)
			return NCHUNKS;
		chunk_fill(c);
		return c;
	}
	return NCHUNKS;
}

rpc_status_t obj_register(struct object *o, enum obj_kind kind)
{
	word_t c = chunk_with_room();

	if (c == NCHUNKS)
		return RPC_E_UNAVAILABLE;
	struct chunk *ch = &dir[c];
	word_t k = ch->free_head, e = ch->e[k];
	ch->free_head = (uint16_t)entry_next(e);
	if (ch->free_head == NO_NEXT)
		has_free[c / 64] &= ~(1ull << (c % 64));
	ch->e[k] = (word_t)o;
	ch->used++;
	used++;
	o->kind = (uint8_t)kind;
	o->id = ((word_t)kind << OBJ_KIND_SHIFT) | ((entry_gen(e) & GEN_MASK) << OBJ_INDEX_BITS) |
		(c << CHUNK_BITS) | k;
	o->cap = 0;
	o->payer = 0;
	return RPC_OK;
}

rpc_status_t obj_cap(struct object *o, struct account *payer, cptr_t *out)
{
	if (!o->cap) {
		cptr_t c;
		rpc_status_t st = slot_get(payer, &c);
		if (st != RPC_OK)
			return st;
		if (c_mint(c, core_ep, RIGHT_WRITE | RIGHT_GRANT | RIGHT_GRANT_REPLY, o->id) != E_OK) {
			slot_put(payer, c);
			return RPC_E_UNAVAILABLE;
		}
		o->cap = c;
		o->payer = payer;
	}
	*out = o->cap;
	return RPC_OK;
}

static word_t *entry_of(word_t i)
{
	struct chunk *ch = &dir[(i & IDX_MASK) >> CHUNK_BITS];

	return ch->e ? &ch->e[i & (OBJ_CHUNK - 1)] : 0;
}

/* The chunk's last object went: free it (not the first), keeping the
 * generations it used. */
static void chunk_drop(word_t c)
{
	struct chunk *ch = &dir[c];
	word_t gen = ch->gen_base;

	for (word_t i = 0; i < OBJ_CHUNK; i++)
		if (entry_gen(ch->e[i]) > gen)
			gen = entry_gen(ch->e[i]);
	core_free(ch->e, OBJ_CHUNK * sizeof(word_t));
	ch->e = 0;
	ch->gen_base = (uint32_t)gen;
	has_free[c / 64] &= ~(1ull << (c % 64));
	chunks_present--;
}

void obj_unregister(struct object *o)
{
	word_t i = o->id & IDX_MASK;
	word_t *e = entry_of(i);

	if (o->cap) {
		cnode_cancel_badged_sends(core_root, o->cap, 64);
		c_revoke(o->cap);
		c_delete(o->cap);
		slot_put(o->payer, o->cap);
		o->cap = 0;
	}
	if (i && e && *e == (word_t)o) {
		word_t c = i >> CHUNK_BITS;
		struct chunk *ch = &dir[c];
		word_t gen = ((o->id >> OBJ_INDEX_BITS) + 1) & GEN_MASK;
		*e = free_entry(gen, ch->free_head);
		ch->free_head = (uint16_t)(i & (OBJ_CHUNK - 1));
		has_free[c / 64] |= 1ull << (c % 64);
		ch->used--;
		used--;
		if (ch->used == 0 && c != 0)
			chunk_drop(c);
	}
	o->id = 0;
	o->kind = K_NONE;
}

struct object *obj_lookup(word_t badge, enum obj_kind kind)
{
	word_t i = badge & IDX_MASK;
	word_t *e = entry_of(i);

	if (!i || !e || (*e & 1) || !*e)
		return 0;
	struct object *o = (struct object *)*e;
	if (o->id != badge)
		return 0;
	if (kind != K_NONE && o->kind != kind)
		return 0;
	return o;
}

word_t obj_count(void) { return used; }
word_t obj_capacity(void) { return (1ul << OBJ_INDEX_BITS) - 1; }
/* Heap the table needs to hold n objects more than it holds now: their
 * chunks and a page each for what mapping them costs. */
word_t obj_table_need(word_t n)
{
	word_t room = (chunks_present * OBJ_CHUNK - 1) - used;
	word_t chunks = n > room ? (n - room + OBJ_CHUNK - 1) / OBJ_CHUNK : 0;

	return chunks * (OBJ_CHUNK * sizeof(word_t) + PAGE);
}

word_t obj_table_bytes(void) { return (chunks_present - 1) * OBJ_CHUNK * sizeof(word_t); }
