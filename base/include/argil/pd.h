/*
 * The PD session (core): a protection domain with its own RAM and
 * capability account, its address space (one region map) and its
 * dataspaces (docs/framework.md, "Core: PD"). Also the dataspace
 * interface, since dataspaces are core objects reached through their own
 * capabilities.
 *
 * PD operations (on a PD session capability):
 *   PD_ALLOC_RAM   w0 size in bytes (rounded up to pages, > 0)
 *                  -> cap: dataspace; w0 size
 *   PD_FREE_RAM    cap: a RAM dataspace this PD allocated (detached everywhere)
 *   PD_ATTACH      cap: dataspace; w0 address (with ATTACH_FIXED), w1 size
 *                  (0: to the dataspace's end), w2 offset (page aligned),
 *                  w3 flags -> w0 address
 *   PD_DETACH      w0 address of a region (its start)
 *   PD_TRANSFER    cap: the receiving PD; w0 ram, w1 caps (moves quota from
 *                  this account to that one)
 *   PD_QUOTA       -> w0 ram quota, w1 ram used, w2 cap quota, w3 cap used
 *   PD_INSTALL     w0 slot (COMPONENT_PARENT, COMPONENT_CPU or 8..15);
 *                  cap: put into this PD's CNode (replacing what was there);
 *                  not through the PD's own view (COMPONENT_PD): DENIED
 *   PD_ALLOC_EP    w0 slot (free, >= COMPONENT_FIRST_FREE) -> w0 handle;
 *                  a new endpoint in that slot of this PD's CNode
 *   PD_ALLOC_NTFN  w0 slot -> w0 handle; a new notification there
 *   PD_FREE_OBJ    w0 handle (destroys the object and every cap to it)
 *   PD_FAULT_SIGH  cap: notification to signal when a thread of this PD
 *                  stops on an unresolvable fault (no cap: none). Through
 *                  the PD's own view (COMPONENT_PD) this sets the PD's own
 *                  handler; through any other PD capability (the parent's)
 *                  the parent's; both are signalled.
 *   PD_REGION      w0 address -> w0 start, w1 size, w2 flags, w3 offset of
 *                  the region containing it
 *   PD_CORE_STATS  -> core's global figures (struct core_stats, w0..w8),
 *                  w9 the RAM charged to the invoked PD (its account and
 *                  the core sessions it paid for, not its child PDs) and
 *                  w10 the RAM core kept for itself when init started
 *
 * Dataspace operations (on a dataspace capability):
 *   DS_INFO        -> w0 size, w1 DS_* flags, w2 physical address of the
 *                  first page (I/O memory and RAM; 0 for ROM)
 */
#ifndef ARGIL_PD_H
#define ARGIL_PD_H

#include <argil/rpc.h>

enum pd_op {
	PD_ALLOC_RAM = 1,
	PD_FREE_RAM,
	PD_ATTACH,
	PD_DETACH,
	PD_TRANSFER,
	PD_QUOTA,
	PD_INSTALL,
	PD_ALLOC_EP,
	PD_ALLOC_NTFN,
	PD_FREE_OBJ,
	PD_FAULT_SIGH,
	PD_REGION,
	PD_CORE_STATS,
};

enum ds_op {
	DS_INFO = 64,
};

/* Attach flags (PD_ATTACH w3). */
#define ATTACH_WRITE 0x1u        /* writable (the dataspace must allow it) */
#define ATTACH_EXEC 0x2u         /* executable */
#define ATTACH_FIXED 0x4u        /* at w0 exactly; else anywhere (w0 ignored) */
#define ATTACH_ALIGN(bits) ((word_t)(bits) << 8) /* anywhere: align to 2^bits (12..30) */
#define ATTACH_ALIGN_OF(flags) (((flags) >> 8) & 0x3f)

/* Dataspace flags (DS_INFO w1). */
#define DS_WRITABLE 0x1u
#define DS_RAM 0x2u
#define DS_ROM 0x4u
#define DS_IO_MEM 0x8u
#define DS_UNCACHED 0x10u
#define DS_WRITE_COMBINED 0x20u

/* Session arguments: "cnode_bits=N" (6..12, default 12), "priority=N"
 * (the highest priority this PD's threads may have; at most the creator's;
 * default the creator's). */
#define PD_CNODE_BITS_DEFAULT 12
#define PD_CNODE_BITS_MIN 6
#define PD_CNODE_BITS_MAX 12

struct pd_quota {
	word_t ram_quota, ram_used, cap_quota, cap_used;
};

struct core_stats {
	word_t ram_free;        /* bytes in free RAM untyped blocks */
	word_t untyped_free;    /* number of free untyped blocks (RAM and device) */
	word_t slots_free;      /* free slots in core's own CSpace pool */
	word_t leaves_free;     /* free second-level CNode positions in core's CSpace */
	word_t objects_used;    /* entries in core's object table */
	word_t heap_used;       /* bytes of core's own heap in use */
	word_t ram_total;       /* bytes of RAM in core's untyped pool at boot */
	word_t core_image;      /* bytes of core's loaded image (with static tables) */
	word_t core_ram_used;   /* RAM core spent for itself (objects, CSpace, heap pages) */
	word_t pd_ram_charged;  /* w9: RAM charged to the invoked PD (see PD_CORE_STATS) */
	word_t core_ram_kept;   /* w10: core's image and own objects and heap when init started */
};

rpc_status_t pd_alloc_ram(cptr_t pd, word_t size, cptr_t *ds);
rpc_status_t pd_free_ram(cptr_t pd, cptr_t ds);
rpc_status_t pd_attach(cptr_t pd, cptr_t ds, word_t addr, word_t size, word_t offset,
		       word_t flags, word_t *out_addr);
rpc_status_t pd_detach(cptr_t pd, word_t addr);
rpc_status_t pd_transfer(cptr_t pd, cptr_t to, word_t ram, word_t caps);
rpc_status_t pd_quota(cptr_t pd, struct pd_quota *q);
rpc_status_t pd_install(cptr_t pd, word_t slot, cptr_t cap);
rpc_status_t pd_alloc_ep(cptr_t pd, word_t slot, word_t *handle);
rpc_status_t pd_alloc_ntfn(cptr_t pd, word_t slot, word_t *handle);
rpc_status_t pd_free_obj(cptr_t pd, word_t handle);
rpc_status_t pd_fault_sigh(cptr_t pd, cptr_t ntfn);
rpc_status_t pd_region(cptr_t pd, word_t addr, word_t *start, word_t *size, word_t *flags,
		       word_t *offset);
rpc_status_t pd_core_stats(cptr_t pd, struct core_stats *s);
rpc_status_t ds_info(cptr_t ds, word_t *size, word_t *flags, word_t *phys);

#endif
