/*
 * Core's RPC objects: a table from badge to object. A badge is
 * kind << 56 | generation << 20 | index; the generation changes when an
 * index is reused, so a stale capability (or a call still queued) never
 * reaches a new object. Clients get copies of one original badged cap per
 * object; unregistering revokes them all.
 */
#include "core.h"

#define OBJ_TABLE 32768u
#define IDX_MASK ((1ul << OBJ_INDEX_BITS) - 1)
#define GEN_MASK ((1ul << OBJ_GEN_BITS) - 1)

struct entry {
	struct object *obj;
	word_t gen;
	uint32_t next_free;
};

static struct entry table[OBJ_TABLE];
static uint32_t free_head;
static word_t used;
cptr_t core_ep;

void objects_init(void)
{
	/* index 0 stays unused so that no badge is 0 */
	for (uint32_t i = OBJ_TABLE - 1; i >= 1; i--) {
		table[i].next_free = free_head;
		free_head = i;
	}
}

rpc_status_t obj_register(struct object *o, enum obj_kind kind)
{
	uint32_t i = free_head;

	if (!i)
		return RPC_E_UNAVAILABLE;
	free_head = table[i].next_free;
	table[i].obj = o;
	used++;
	o->kind = (uint8_t)kind;
	o->id = ((word_t)kind << OBJ_KIND_SHIFT) | ((table[i].gen & GEN_MASK) << OBJ_INDEX_BITS) | i;
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

void obj_unregister(struct object *o)
{
	word_t i = o->id & IDX_MASK;

	if (o->cap) {
		cnode_cancel_badged_sends(core_root, o->cap, 64);
		c_revoke(o->cap);
		c_delete(o->cap);
		slot_put(o->payer, o->cap);
		o->cap = 0;
	}
	if (i && i < OBJ_TABLE && table[i].obj == o) {
		table[i].obj = 0;
		table[i].gen++;
		table[i].next_free = free_head;
		free_head = (uint32_t)i;
		used--;
	}
	o->id = 0;
	o->kind = K_NONE;
}

struct object *obj_lookup(word_t badge, enum obj_kind kind)
{
	word_t i = badge & IDX_MASK;

	if (!i || i >= OBJ_TABLE || !table[i].obj)
		return 0;
	if (table[i].obj->id != badge)
		return 0;
	if (kind != K_NONE && table[i].obj->kind != kind)
		return 0;
	return table[i].obj;
}

word_t obj_count(void) { return used; }
word_t obj_capacity(void) { return OBJ_TABLE - 1; }
