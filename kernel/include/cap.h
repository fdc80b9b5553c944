/*
 * Capabilities and capability table entries (CTEs).
 * A cap is four words; its layout per type is defined here once, with named
 * accessors. A CTE is a cap plus its place in the derivation tree (the MDB):
 * a doubly linked list in pre-order, each node carrying its depth, so the
 * descendants of a node are the nodes after it with greater depth.
 */
#ifndef CAP_H
#define CAP_H

#include <types.h>

/* Cap types beyond enum obj_type (kernel internal). */
#define CAP_ZOMBIE 30          /* an object being finalised (never visible) */

struct cap {
	uint64_t w[4];
};

/* w[0]: [4:0] type, [8:5] rights, [15:9] unused, [23:16] size/radix,
 *       [30:24] guard size, [31] device, [47:32] asid (PML4, mapped objects),
 *       [48] mapped
 * w[1]: object pointer or physical address (per type); IRQ handler: the
 *       IRQ number; I/O port: the first port
 * w[2]: badge / guard / free index / mapped vaddr; I/O port: the last port;
 *       zombie: the next slot to delete
 * w[3]: per type (zombie: parent chain; PML4: its physical address, the
 *       value that loads the address space) */
#define CAP_RIGHTS_SHIFT 5
static inline unsigned cap_type(const struct cap *c) { return c->w[0] & 0x1f; }
static inline unsigned cap_rights(const struct cap *c) { return (c->w[0] >> CAP_RIGHTS_SHIFT) & 0xf; }
/* Whether w0, a cap's first word, has this type and all these rights. */
static inline bool cap_word_is(uint64_t w0, unsigned type, unsigned rights)
{
	uint64_t r = (uint64_t)rights << CAP_RIGHTS_SHIFT;
	return (w0 & (0x1f | r)) == (type | r);
}
static inline void cap_set_rights(struct cap *c, unsigned r) { c->w[0] = (c->w[0] & ~(0xfull << CAP_RIGHTS_SHIFT)) | ((uint64_t)(r & 0xf) << CAP_RIGHTS_SHIFT); }
static inline unsigned cap_bits(const struct cap *c) { return (c->w[0] >> 16) & 0xff; }
static inline void cap_set_bits(struct cap *c, unsigned b) { c->w[0] = (c->w[0] & ~(0xffull << 16)) | ((uint64_t)b << 16); }
static inline unsigned cap_guard_size(const struct cap *c) { return (c->w[0] >> 24) & 0x7f; }
static inline void cap_set_guard_size(struct cap *c, unsigned g) { c->w[0] = (c->w[0] & ~(0x7full << 24)) | ((uint64_t)(g & 0x7f) << 24); }
/* The same two fields read as the bytes they occupy (little endian), for
 * the fastpath; the guard size byte includes the device bit, which is 0 on
 * CNode caps. */
static inline unsigned cap_bits_byte(const struct cap *c) { return ((const uint8_t *)&c->w[0])[2]; }
static inline unsigned cap_guard_size_byte(const struct cap *c) { return ((const uint8_t *)&c->w[0])[3]; }
#define CAP_DEVICE_BIT 31
static inline bool cap_is_device(const struct cap *c) { return (c->w[0] >> CAP_DEVICE_BIT) & 1; }
static inline unsigned cap_asid(const struct cap *c) { return (c->w[0] >> 32) & 0xffff; }
static inline bool cap_mapped(const struct cap *c) { return (c->w[0] >> 48) & 1; }
static inline void cap_set_mapping(struct cap *c, unsigned asid, uint64_t vaddr, bool mapped)
{
	c->w[0] = (c->w[0] & ~(0x1ffffull << 32)) | ((uint64_t)asid << 32) | ((uint64_t)mapped << 48);
	c->w[2] = vaddr;
}
static inline uint64_t cap_mapped_vaddr(const struct cap *c) { return c->w[2]; }
static inline void cap_set_device(struct cap *c, bool device) { c->w[0] |= (uint64_t)device << CAP_DEVICE_BIT; }
static inline void cap_set_asid(struct cap *c, unsigned asid)
{
	c->w[0] = (c->w[0] & ~(0xffffull << 32)) | ((uint64_t)asid << 32);
}
/* The first word alone (type and rights), for cap_word_is. */
static inline uint64_t cap_word0(const struct cap *c) { return c->w[0]; }
/* Whether w0 carries any of these rights. */
static inline bool cap_word_has_any(uint64_t w0, unsigned rights)
{
	return (w0 & ((uint64_t)rights << CAP_RIGHTS_SHIFT)) != 0;
}
/* w[1]: what the cap names; equal words mean the same object. */
static inline uint64_t cap_object(const struct cap *c) { return c->w[1]; }
static inline void *cap_ptr(const struct cap *c) { return (void *)c->w[1]; }
static inline uint64_t cap_paddr(const struct cap *c) { return c->w[1]; }
static inline unsigned cap_irq(const struct cap *c) { return (unsigned)c->w[1]; }
static inline uint64_t cap_ioport_first(const struct cap *c) { return c->w[1]; }
static inline uint64_t cap_ioport_last(const struct cap *c) { return c->w[2]; }
static inline uint64_t cap_badge(const struct cap *c) { return c->w[2]; }
static inline void cap_set_badge(struct cap *c, uint64_t badge) { c->w[2] = badge; }
static inline uint64_t cap_guard(const struct cap *c) { return c->w[2]; }
static inline void cap_set_guard(struct cap *c, uint64_t guard) { c->w[2] = guard; }
static inline uint64_t cap_ut_free(const struct cap *c) { return c->w[2]; }
static inline void cap_set_ut_free(struct cap *c, uint64_t free) { c->w[2] = free; }
/* PML4: the physical address of the table, the value that loads it. */
static inline uint64_t cap_vspace_root(const struct cap *c) { return c->w[3]; }
static inline void cap_set_vspace_root(struct cap *c, uint64_t paddr) { c->w[3] = paddr; }

/* Zombie caps (cap.c): w[0] type | kind << 8 | bits << 16, w[1] the
 * container, w[2] the next slot to delete, w[3] the parent zombie. */
static inline struct cap cap_make_zombie(unsigned kind, unsigned bits, uint64_t object, void *parent)
{
	struct cap c = { { CAP_ZOMBIE | ((uint64_t)kind << 8) | ((uint64_t)bits << 16), object, 0,
			   (uint64_t)parent } };
	return c;
}
static inline unsigned zombie_kind(const struct cap *c) { return (c->w[0] >> 8) & 0xff; }
static inline uint64_t zombie_cursor(const struct cap *c) { return c->w[2]; }
static inline void zombie_advance(struct cap *c) { c->w[2]++; }
static inline void *zombie_parent(const struct cap *c) { return (void *)c->w[3]; }

static inline struct cap cap_make(unsigned type, unsigned rights, uint64_t w1, uint64_t w2)
{
	struct cap c = { { type | ((uint64_t)(rights & 0xf) << CAP_RIGHTS_SHIFT), w1, w2, 0 } };
	return c;
}
static inline struct cap cap_null(void) { struct cap c = { { 0, 0, 0, 0 } }; return c; }
static inline bool cap_is_null(const struct cap *c) { return cap_type(c) == OBJ_NULL; }

struct cte {
	struct cap cap;
	struct cte *prev, *next;   /* derivation list */
	uint32_t depth;
	uint32_t flags;
	uint64_t spare;
};
#define CTE_SENTINEL 1u
_Static_assert(sizeof(struct cte) == 64, "CTE must be 2^OBJ_CNODE_SLOT_BITS bytes");

/* Turn c into a cap that may be derived (copied, minted, transferred) from
 * it: mapping state dropped, the copy maps on its own. Returns false for
 * caps that are never derived: untyped (retype only), reply, zombie, null. */
static inline bool cap_derive(struct cap *c)
{
	switch (cap_type(c)) {
	case OBJ_NULL: case OBJ_UNTYPED: case CAP_REPLY: case CAP_ZOMBIE:
		return false;
	case OBJ_FRAME_4K: case OBJ_FRAME_2M: case OBJ_PDPT: case OBJ_PD: case OBJ_PT:
		cap_set_mapping(c, 0, 0, false);
		break;
	}
	return true;
}

/* Object identity for 'is this the last cap to it' and 'same object'. */
bool cap_same_object(const struct cap *a, const struct cap *b);

/* Derivation list. */
void mdb_insert_after(struct cte *parent, struct cte *child, bool as_child);
/* Whether any cap to c's object (c included) records a mapping. */
bool mdb_object_mapped(const struct cte *c);
void mdb_remove(struct cte *c);
void mdb_replace(struct cte *from, struct cte *to);  /* move node identity */
bool mdb_has_children(const struct cte *c);
bool mdb_is_last(const struct cte *c);
void mdb_swap(struct cte *a, struct cte *b);

/* Deletion and revocation: never fail; may wake threads. */
void cte_delete(struct cte *c);
void cte_revoke(struct cte *c);
void cte_insert_child(struct cte *parent, struct cte *dest, struct cap cap);
void cte_move(struct cte *dest, struct cte *src, struct cap newcap);

#endif
