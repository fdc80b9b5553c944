/*
 * The PD session (core): a protection domain with its own RAM and
 * capability account, its address space (one region map) and its
 * dataspaces (docs/framework.md, "Core: PD"). Also the dataspace
 * interface, since dataspaces are core objects reached through their own
 * capabilities.
 *
 * PD operations (on a PD session capability):
 *   PD_ALLOC_RAM   w0 size in bytes (rounded up to pages, > 0), w1 flags
 *                  (RAM_*; 0 when absent) -> cap: dataspace; w0 size.
 *                  RAM_CONTIGUOUS: physically contiguous, one buddy block
 *                  (the size rounded up to a power of two pages, all of
 *                  it charged); RAM_BELOW_4G: every page below 4 GiB.
 *                  Unknown flags INVALID_ARGUMENT; no such memory free
 *                  UNAVAILABLE. Client stubs: pd_alloc_ram (no flags) and
 *                  pd_alloc_ram_flags.
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
 *   PD_CSPACE_GROW -> w0 first slot, w1 count: a new range of slots
 *                  [first, first + count) in the PD's CSpace (a CNode of
 *                  1024 slots paid in RAM from the PD's account, 64 KiB
 *                  like every kernel object core makes for it; the first
 *                  time also a top level of 256 slots, 16 KiB, above the
 *                  PD's first CNode: cptrs below 2^cnode_bits stay as
 *                  they are). Range k starts at k * 2^cnode_bits. At most
 *                  255 ranges, RPC_E_UNAVAILABLE beyond (and for a PD of
 *                  fewer than 1024 slots); RPC_E_NO_RAM_QUOTA when the
 *                  account cannot pay.
 *
 * Dataspace operations (on a dataspace capability):
 *   DS_INFO        -> w0 size, w1 DS_* flags, w2 physical address of the
 *                  first page of I/O memory (0 for RAM and ROM: a RAM
 *                  dataspace's address only the DMA service tells, io.h)
 */
#ifndef ARGIL_PD_H
#define ARGIL_PD_H

#include <argil/rpc_gen.h>


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
#define DS_CONTIGUOUS 0x40u      /* RAM allocated with RAM_CONTIGUOUS */

/* PD_ALLOC_RAM flags (w1). */
#define RAM_CONTIGUOUS 0x1u      /* physically contiguous: one buddy block */
#define RAM_BELOW_4G 0x2u        /* every page below physical 4 GiB */
#define RAM_FLAGS (RAM_CONTIGUOUS | RAM_BELOW_4G)

/* Session arguments: "cnode_bits=N" (6..12, default 12), "priority=N"
 * (the highest priority this PD's threads may have; at most the creator's;
 * default the creator's). */
#define PD_CNODE_BITS_DEFAULT 12
#define PD_CNODE_BITS_MIN 6
#define PD_CNODE_BITS_MAX 12

#define PD_RPC(OP, OPS)                                                                 \
	OP(pd_alloc_ram_flags, PD_ALLOC_RAM, 1, ((WORD, size), (WORD, flags)),          \
	   ((CAP, ds), (EXTRA, size)))                                                  \
	OP(pd_free_ram, PD_FREE_RAM, 2, ((CAP, ds)), ())                                \
	OP(pd_attach, PD_ATTACH, 3,                                                     \
	   ((CAP, ds), (WORD, addr), (WORD, size), (WORD, offset), (WORD, flags)),      \
	   ((WORD, at)))                                                                \
	OP(pd_detach, PD_DETACH, 4, ((WORD, addr)), ())                                 \
	OP(pd_transfer, PD_TRANSFER, 5, ((CAP, to), (WORD, ram), (WORD, caps)), ())     \
	OPS(pd_quota, PD_QUOTA, 6, (), pd_quota,                                        \
	    ((WORD, ram_quota), (WORD, ram_used), (WORD, cap_quota), (WORD, cap_used))) \
	OP(pd_install, PD_INSTALL, 7, ((WORD, slot), (CAP, cap)), ())                   \
	OP(pd_alloc_ep, PD_ALLOC_EP, 8, ((WORD, slot)), ((WORD, handle)))               \
	OP(pd_alloc_ntfn, PD_ALLOC_NTFN, 9, ((WORD, slot)), ((WORD, handle)))           \
	OP(pd_free_obj, PD_FREE_OBJ, 10, ((WORD, handle)), ())                          \
	OP(pd_fault_sigh, PD_FAULT_SIGH, 11, ((CAP, ntfn)), ())                         \
	OP(pd_region, PD_REGION, 12, ((WORD, addr)),                                    \
	   ((WORD, start), (WORD, size), (WORD, flags), (WORD, offset)))                \
	OPS(pd_core_stats, PD_CORE_STATS, 13, (), core_stats,                           \
	    ((WORD, ram_free),       /* bytes in free RAM untyped blocks */             \
	     (WORD, untyped_free),   /* free untyped blocks (RAM and device) */         \
	     (WORD, slots_free),     /* free slots in core's own CSpace pool */         \
	     (WORD, leaves_free),    /* free second-level CNode positions in core's CSpace */ \
	     (WORD, objects_used),   /* entries in core's object table */               \
	     (WORD, heap_used),      /* bytes of core's own heap in use */              \
	     (WORD, ram_total),      /* bytes of RAM in core's untyped pool at boot */  \
	     (WORD, core_image),     /* bytes of core's loaded image (static tables too) */ \
	     (WORD, core_ram_used),  /* RAM core spent for itself (objects, CSpace, heap pages) */ \
	     (WORD, pd_ram_charged), /* RAM charged to the invoked PD (PD_CORE_STATS) */ \
	     (WORD, core_ram_kept))) /* core's image, own objects and heap when init started */ \
	OP(pd_cspace_grow, PD_CSPACE_GROW, 14, (), ((WORD, first), (WORD, count)))
RPC_INTERFACE(pd, PD_RPC);

/* PD_ALLOC_RAM without flags: RAM anywhere, in as few blocks as fit. */
static inline rpc_status_t pd_alloc_ram(cptr_t pd, word_t size, cptr_t *ds)
{
	return pd_alloc_ram_flags(pd, size, 0, ds);
}

/* Dataspace operations (on a dataspace capability). */
#define DS_RPC(OP, OPS)                                                                 \
	OP(ds_info, DS_INFO, 64, (), ((WORD, size), (WORD, flags), (WORD, phys)))
RPC_INTERFACE(ds, DS_RPC);

/*
 * Attaches a dataspace a server handed out (flags as for pd_attach) into
 * the component's own PD, trusting the server's word on its size only as
 * far as the dataspace bears it out: `size` (what the server says) must be
 * at least `min` and the dataspace at least `size` bytes, else
 * RPC_E_INVALID_CAP and nothing is attached. *at the address, *dsize (if
 * not null) the dataspace's own size.
 */
rpc_status_t ds_attach_checked(cptr_t ds, word_t size, word_t min, word_t flags, word_t *at,
			       word_t *dsize);

#endif
