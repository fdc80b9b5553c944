/*
 * Core's internal interfaces (docs/framework.md, "Core internals").
 *
 * Core is the root task. It is single-threaded: one loop receives every
 * request and fault on one endpoint and answers at once, so no data
 * structure here needs a lock. Everything core makes for a client is
 * charged to an account (struct account): kernel objects and RAM by their
 * size, core's bookkeeping by its allocation size, capability slots by the
 * second-level CNodes ("leaves") that hold them, RPC objects and kernel
 * objects visible to the client by one capability each.
 */
#ifndef CORE_H
#define CORE_H

#include <argil/abi.h>
#include <argil/kernel.h>
#include <argil/rpc.h>
#include <argil/string.h>
#include <argil/printf.h>
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <argil/component.h>
#include <arch/syscall.h>

#define PAGE 4096ul
#define PAGE_BITS 12

/* ---- core's CSpace (cspace.c) ------------------------------------------------
 * Two levels: a root CNode of 2^CORE_TOP_BITS entries, each a leaf CNode
 * addressed by the low R bits (R = the boot CNode's radix). The boot CNode
 * itself is leaf 0, so boot cptrs stay valid. A cptr is (top << R) | index. */
#define CORE_TOP_BITS 14
extern word_t core_low_bits;       /* R */
extern cptr_t core_root;           /* cptr of a cap to the root CNode (guarded) */

static inline cptr_t leaf_cptr(word_t top, word_t idx) { return (top << core_low_bits) | idx; }

struct ublock;

struct leaf {
	struct leaf *next;
	word_t top;               /* position in the root CNode */
	word_t radix;             /* 2^radix slots */
	word_t first, end;        /* usable slots [first, end) */
	word_t used;
	struct ublock *blk;       /* its memory (NULL for the boot CNode) */
	uint64_t *map;            /* used-slot bitmap */
};

struct account {
	word_t ram_quota, ram_used;
	word_t cap_quota, cap_used;
	struct leaf *leaves;
	word_t slots_free;        /* free slots over all leaves */
	word_t slots_reserved;    /* promised to regions for lazy mappings */
	bool unlimited;           /* core's own account */
	const char *what;         /* for messages */
};

extern struct account core_acct;

/* Quota. */
rpc_status_t acct_charge(struct account *a, word_t ram, word_t caps);
void acct_release(struct account *a, word_t ram, word_t caps);
static inline word_t acct_ram_avail(const struct account *a) { return a->ram_quota - a->ram_used; }
static inline word_t acct_cap_avail(const struct account *a) { return a->cap_quota - a->cap_used; }

/* Slots. A run is n consecutive slots of one leaf. Errors: NO_RAM_QUOTA
 * (a new leaf could not be paid), UNAVAILABLE (core's CSpace or RAM is
 * exhausted). */
rpc_status_t slot_get(struct account *a, cptr_t *out);
rpc_status_t slot_run(struct account *a, word_t n, cptr_t *out);
/* The slot must be empty already (or is emptied: deletes what is there). */
void slot_put(struct account *a, cptr_t c);
void slot_put_run(struct account *a, cptr_t c, word_t n);
/* Make sure n slots can be had without new leaves failing later. */
rpc_status_t slot_reserve(struct account *a, word_t n);
rpc_status_t slot_take_reserved(struct account *a, cptr_t *out);
void slot_unreserve(struct account *a, word_t n);
/* Free every leaf of an account (all slots must be free). */
void acct_free_leaves(struct account *a);
void cspace_boot(struct bootinfo *bi);   /* the boot CNode as core's first leaf */
void cspace_init(struct bootinfo *bi);   /* the two-level CSpace */
abi_error_t core_retype(cptr_t ut, word_t type, word_t size_bits, cptr_t dest, word_t count);
void core_reserve(void);  /* top up core's own free slots (at safe points) */
word_t cspace_free_tops(void);

/* CNode operations on core's CSpace. */
static inline abi_error_t c_delete(cptr_t c) { return cnode_delete(core_root, c, 64); }
static inline abi_error_t c_revoke(cptr_t c) { return cnode_revoke(core_root, c, 64); }
static inline abi_error_t c_copy(cptr_t dst, cptr_t src, word_t rights)
{
	return cnode_copy(core_root, dst, 64, core_root, src, 64, rights);
}
static inline abi_error_t c_mint(cptr_t dst, cptr_t src, word_t rights, word_t badge)
{
	return cnode_mint(core_root, dst, 64, core_root, src, 64, rights, badge);
}
static inline abi_error_t c_move(cptr_t dst, cptr_t src)
{
	return cnode_move(core_root, dst, 64, core_root, src, 64);
}

/* ---- untyped memory: buddy allocator (untyped.c) ---------------------------- */
enum { UB_FREE = 0, UB_SPLIT = 1, UB_USED = 2 };

struct ublock {
	word_t paddr;
	cptr_t cap;
	struct ublock *parent, *child; /* child = lower of the two halves */
	struct ublock *next, *prev;    /* free list links; of a split block: next = upper half */
	uint8_t bits, state, device, root;
};

void untyped_init(struct bootinfo *bi);
/* A free block of 2^bits bytes (lowest address of the smallest fitting
 * size), marked used. NULL if none. */
struct ublock *ut_alloc(word_t bits, bool device);
/* The same for RAM that ends at or below limit (a physical address). */
struct ublock *ut_alloc_below(word_t bits, word_t limit);
/* The block exactly at paddr (device or RAM as it is); NULL if that memory
 * is not free. */
struct ublock *ut_alloc_at(word_t paddr, word_t bits);
/* Revoke everything made from the block and merge it back. */
void ut_free(struct ublock *b);
word_t ut_ram_free(void);
word_t ut_blocks_free(void);
word_t ut_ram_total(void);
/* Core's heap can take pages: from now on nodes come from it. */
void untyped_heap_ready(void);
word_t ut_nodes_live(void);   /* buddy nodes in existence */
word_t ut_pool_free(void);    /* nodes of the static pool not in use */

/* ---- kernel objects (kobj.c): one block per object ---------------------- */
struct kobj {
	struct ublock *blk;
	cptr_t cap;               /* the object's cap in the account's leaf */
};

/* Make one object of type, paid by a (RAM only; caps are charged by the
 * caller where the object counts as a capability). */
rpc_status_t kobj_new(struct account *a, word_t type, word_t size_bits, struct kobj *o);
/* Make 2^k frames from one block into a run of slots (the block below
 * physical address limit; ~0: anywhere). RPC_E_UNAVAILABLE: no block. */
rpc_status_t kobj_frames(struct account *a, word_t k, word_t limit, struct ublock **blk,
			 cptr_t *first);
void kobj_free(struct account *a, struct kobj *o);
void kobj_free_frames(struct account *a, struct ublock *blk, cptr_t first, word_t k);

/* ---- core's heap (heap.c) and address space (core_space.c) -------------------- */
void vm_init(struct bootinfo *bi);
void heap_init_core(void);
/* Core bookkeeping memory; zeroed. Not charged: callers charge
 * heap_charge(size) to the account they allocate for. */
void *core_alloc(size_t size);
void core_free(void *p, size_t size);
word_t heap_charge(size_t size);
word_t heap_in_use(void);
/* Free objects of size's class in the slabs the heap has; a new slab of
 * that class (first to be used); an object only from the slabs the heap
 * has (NULL rather than a new page). */
word_t heap_room(size_t size);
bool heap_grow(size_t size);
void *core_alloc_nogrow(size_t size);
/* Map a frame read-write at a scratch address (one at a time per slot). */
void *vm_scratch_map(cptr_t frame, int idx);
void vm_scratch_unmap(cptr_t frame);
/* Map frames into core's address space permanently at va. */
rpc_status_t vm_map_core(word_t va, cptr_t frame, bool write);
void *vm_module_base(void);
/* Map a boot module read-only into core; its address. */
void *vm_map_module(const struct bootinfo_module *m);

#define CORE_HEAP_BASE 0x0000100000000000ull
#define CORE_HEAP_PAGES 16384ul            /* 64 MiB */
#define CORE_MODULE_BASE 0x0000200000000000ull
#define CORE_SCRATCH_BASE 0x0000300000000000ull

/* ---- objects and badges (object.c) -------------------------------------- */
enum obj_kind {
	K_NONE = 0,
	K_PD, K_CPU, K_THREAD, K_DS, K_ROM, K_LOG, K_IOMEM, K_IOPORT, K_IRQ, K_DMA,
	K_CHILD,   /* the parent interface of core's child (init) */
	K_FAULT,   /* a thread's fault endpoint badge */
	K_KOBJ,    /* an endpoint/notification handle from PD_ALLOC_* */
	K_COUNT
};

#define OBJ_INDEX_BITS 24           /* up to 16,777,215 objects */
#define OBJ_GEN_BITS 32
#define OBJ_ENTRY_BYTES 8           /* core's object table per object */
#define OBJ_KIND_SHIFT 56
#define OBJ_KIND_MASK 0x1fu
/* A PD's own view of itself (its COMPONENT_PD cap) carries this bit: it
 * may not install capabilities, and the fault handler it sets is its own,
 * signalled besides (never instead of) the one set through its parent's. */
#define PD_SELF_BIT (1ull << 61)

struct object {
	uint8_t kind;
	word_t id;                /* badge without rights: kind, gen, index */
	cptr_t cap;               /* the original badged endpoint cap (0 until minted) */
	struct account *payer;    /* whose slot holds cap */
};

extern cptr_t core_ep;

void objects_init(void);
/* Register o (sets o->id). NO_CAP_QUOTA is the caller's business;
 * UNAVAILABLE if core's table is full or cannot grow. */
rpc_status_t obj_register(struct object *o, enum obj_kind kind);
/* Mint (once) the badged cap clients get copies of, in a slot of payer. */
rpc_status_t obj_cap(struct object *o, struct account *payer, cptr_t *out);
/* Revoke all copies, cancel queued calls, free the slot, unregister. */
void obj_unregister(struct object *o);
/* Look up a badge of a given kind (K_NONE: any). */
struct object *obj_lookup(word_t badge, enum obj_kind kind);
/* A PD named by an unwrapped capability argument (either view); *self
 * says whether it was the PD's own view. NULL if not a PD. */
struct pd *pd_of_badge(word_t badge, bool *self);
word_t obj_count(void);
word_t obj_capacity(void);
word_t obj_table_bytes(void);  /* the table's chunks on core's heap */
word_t obj_table_need(word_t n);  /* heap it needs to hold n more objects */

/* What a service handler gets and gives: the request (its capability, if
 * any, described by cap_kind/cap/cap_badge) and the reply to fill. */
struct request {
	struct rpc_msg *msg;
	struct rpc_msg *reply;
};

/* ---- sessions -----------------------------------------------------------------
 * Every core service's session (PD included) starts with struct session:
 * its RPC object, its own account (the donation), who paid (gets the quota
 * back on close) and its label. */
struct pd;

struct session {
	struct object obj;
	struct account acct;
	struct pd *payer;         /* NULL: core paid (init's PD) */
	struct session *next_of_payer;
	char label[160];
	void (*destroy)(struct session *s);  /* frees everything the session holds */
	bool via_parent;          /* made through the parent interface (CLOSE allowed) */
	word_t struct_size;       /* bytes of the structure that embeds it */
};

/* Allocate a session structure of size bytes (embedding struct session
 * first), fund it from payer and charge the structure to it. */
rpc_status_t session_new(size_t size, struct pd *payer, word_t ram, word_t caps,
			 enum obj_kind kind, const char *label, struct session **out);

/* Move ram/caps from payer's account into s and link s to the payer. */
rpc_status_t session_fund(struct session *s, struct pd *payer, word_t ram, word_t caps);
/* Give the session's quota back to its payer and unlink it; everything
 * charged to the session must have been released. */
void session_defund(struct session *s);
rpc_status_t session_upgrade(struct session *s, struct pd *payer, word_t ram, word_t caps);
/* Destroy a session: its destroy function, then defund and free. */
void session_close(struct session *s);
/* Bookkeeping memory charged to an account. */
void *acct_alloc(struct account *a, size_t size, rpc_status_t *st);
void acct_free(struct account *a, void *p, size_t size);
/* Keep a capability that arrived in core's receive slot: moved into a
 * slot of a (charged one cap). */
rpc_status_t acct_keep_cap(struct account *a, cptr_t from, cptr_t *out);
void acct_drop_cap(struct account *a, cptr_t *c);
/* A signal handler capability from a request: none (clears, *out = 0) or a
 * notification; anything else is RPC_E_INVALID_CAP. */
rpc_status_t acct_keep_sigh(struct account *a, struct rpc_msg *m, cptr_t *out);
/* Signal without ever blocking. */
void core_signal(cptr_t ntfn);

/* ---- dataspaces (ds.c) --------------------------------------------------------- */
enum ds_type { DS_T_RAM, DS_T_ROM, DS_T_IOMEM };

struct ds_chunk {
	struct ublock *blk;
	cptr_t first;             /* first frame cap of the run */
	word_t k;                 /* 2^k pages */
};

struct region;

struct ds {
	struct object obj;
	enum ds_type type;
	word_t pages;
	word_t flags;             /* DS_* of pd.h */
	word_t map_attrs;         /* MAP_UNCACHED / MAP_WRITE_COMBINING */
	word_t phys;
	cptr_t *frames;           /* per page */
	struct ds_chunk *chunks;
	word_t nchunks;
	struct account *acct;     /* paid by */
	struct pd *owner;         /* RAM dataspaces: the PD that allocated it */
	struct ds *next_of_owner;
	struct region *attachments;
	bool frames_owned;        /* frames array and frames belong to this ds */
};

/* A RAM dataspace of pages paid by acct (caps: 1); flags RAM_CONTIGUOUS
 * (one block: pages rounded up to a power of two), RAM_BELOW_4G. */
rpc_status_t ds_new_ram(struct account *a, word_t pages, word_t flags, struct ds **out);
/* Detach everywhere, free frames (if owned) and the object. */
void ds_destroy(struct ds *d);
/* Dataspace over frames someone else owns (ROM modules). */
rpc_status_t ds_new_shared(struct account *a, enum ds_type type, word_t pages, cptr_t *frames,
			   word_t flags, word_t phys, struct ds **out);
void ds_detach_all(struct ds *d);
void ds_serve(struct ds *d, struct request *r);

/* ---- regions and faults (region.c) ------------------------------------------- */
struct thread;

struct region {
	struct region *next;       /* in the PD, sorted by base */
	struct region *next_of_ds;
	struct pd *pd;
	struct ds *ds;             /* NULL: a thread's UTCB page */
	word_t base, size, offset, flags;
	word_t pages, mapped;
	cptr_t *maps;              /* per page: the mapping cap, 0 if not mapped */
};

rpc_status_t region_attach(struct pd *pd, struct ds *ds, word_t addr, word_t size, word_t offset,
			   word_t flags, word_t *out);
rpc_status_t region_detach(struct pd *pd, word_t addr);
void region_destroy(struct region *r);  /* unmap, unlink from PD and DS, free */
struct region *region_find(struct pd *pd, word_t addr);
/* Make page tables for [va, va + size) in pd (charged to pd). */
rpc_status_t pd_tables(struct pd *pd, word_t va, word_t size);
void pd_tables_trim(struct pd *pd, word_t va, word_t size);
/* Map the page of r containing addr, if the access is allowed. */
bool region_resolve(struct region *r, word_t addr, bool write, bool exec);

/* ---- PDs (pd.c) ------------------------------------------------------------------ */
struct ptable {
	struct ptable *next;
	word_t level;              /* 3 PDPT, 2 PD, 1 PT */
	word_t base;
	struct kobj ko;
};

struct kobj_handle {
	struct object obj;         /* K_KOBJ; its id is the handle */
	struct kobj ko;
	struct pd *pd;
	struct kobj_handle *next;
};

#define PD_WINDOW_WORDS (COMPONENT_STACK_WINDOWS / 64)

struct pd {
	struct session s;          /* s.acct is the PD's account */
	word_t cnode_bits;
	word_t prio_limit;
	struct kobj cnode, pml4, main_ep;
	struct kobj top;           /* the CSpace's top level once it grew (PD_CSPACE_GROW) */
	struct pd_leaf *leaves;    /* its further leaves, top slots 1.. */
	word_t n_leaves;
	struct ptable *tables;
	struct region *regions;
	struct thread *threads;
	struct ds *dataspaces;
	struct session *sessions;  /* sessions (and PDs) this PD paid for */
	struct kobj_handle *handles;
	uint64_t windows[PD_WINDOW_WORDS];
	cptr_t self_cap;           /* the original of the PD's own view (PD_SELF_BIT) */
	cptr_t fault_sigh;         /* set through the parent's view */
	cptr_t own_fault_sigh;     /* set through the PD's own view */
	bool dying;
};

struct pd_leaf {
	struct pd_leaf *next;
	struct kobj ko;
};

/* The PD's CSpace root for its threads and the guard data to configure it with. */
cptr_t pd_cspace_root(struct pd *pd, word_t *guard);
/* The highest slot (+1) of the PD's CSpace that core addresses. */
word_t pd_slot_end(struct pd *pd);

rpc_status_t pd_create(struct pd *payer, const char *label, word_t ram, word_t caps,
		       word_t cnode_bits, word_t prio_limit, struct pd **out);
void pd_serve(struct pd *pd, struct request *r, bool self);
/* Put a copy of core cap src into slot of the PD's CNode. */
abi_error_t pd_cnode_copy(struct pd *pd, word_t slot, cptr_t src, word_t rights);
abi_error_t pd_cnode_move(struct pd *pd, word_t slot, cptr_t src);
void pd_cnode_delete(struct pd *pd, word_t slot);
/* Report an unresolvable fault of a thread to its PD's fault handler. */
void pd_fault_notify(struct pd *pd);

/* ---- CPU sessions and threads (cpu.c) ------------------------------------------- */
struct cpu_session {
	struct session s;
	word_t prio_limit, cpu_first, cpu_count;
	struct thread *threads;
};

struct thread {
	struct object obj;         /* K_THREAD */
	struct cpu_session *cpu;
	struct pd *pd;
	struct thread *next_in_pd, *next_in_cpu;
	struct kobj tcb, utcb, ntfn;
	cptr_t fault_ep;           /* core's endpoint with this thread's fault badge */
	cptr_t reply;              /* saved caller while stopped on a fault */
	word_t ntfn_slot;          /* where its notification sits in the PD's CNode */
	word_t window, prio, cpu_index;
	word_t state;              /* THREAD_* of cpu.h */
	word_t fault_label, fault_addr, fault_ip, faults;
	struct region *utcb_region;
};

rpc_status_t cpu_session_create(struct pd *payer, const char *args, word_t ram, word_t caps,
				struct cpu_session **out);
void cpu_session_setup(struct cpu_session *c, word_t prio, word_t first, word_t count);
void cpu_serve(struct cpu_session *c, struct request *r);
void thread_serve(struct thread *t, struct request *r);
void thread_destroy_core(struct thread *t);
/* ---- faults of threads (fault.c) ---- */
/* The badge of the thread's fault endpoint. */
word_t fault_badge(struct thread *t);
/* Let a thread stopped on a fault retry (reply to its fault). */
void fault_release(struct thread *t);
/* A fault message for the thread with fault badge `badge`. Returns true if
 * core should reply now (resolved), false if it saved the caller. */
bool fault_handle(word_t badge, struct rpc_msg *m);
/* Start a thread (core's own use for init). */
rpc_status_t thread_start_core(struct thread *t, word_t rip, word_t rsp, word_t rdi, word_t rsi);
rpc_status_t thread_create_core(struct cpu_session *c, struct pd *pd, word_t prio, word_t cpu,
				word_t ntfn_slot, struct thread **out);

/* ---- ROM, LOG, IO_MEM, IO_PORT, IRQ (rom.c, log.c, io.c) ------------------------ */
struct module {
	char name[64];
	word_t size, pages;
	cptr_t *frames;
	const void *data;          /* mapped read-only in core */
};

void rom_init(struct bootinfo *bi);
struct module *rom_find(const char *name);
rpc_status_t rom_session_create(struct pd *payer, const char *label, word_t ram, word_t caps,
				struct session **out);
rpc_status_t log_session_create(struct pd *payer, const char *label, word_t ram, word_t caps,
				struct session **out);
rpc_status_t iomem_session_create(struct pd *payer, const char *args, word_t ram, word_t caps,
				  struct session **out);
rpc_status_t ioport_session_create(struct pd *payer, const char *args, word_t ram, word_t caps,
				   struct session **out);
rpc_status_t irq_session_create(struct pd *payer, const char *args, word_t ram, word_t caps,
				struct session **out);
rpc_status_t dma_session_create(struct pd *payer, word_t ram, word_t caps, struct session **out);
/* A request to a ROM, LOG, IO_MEM, IO_PORT, IRQ or DMA session (session.c) */
void session_serve(struct session *s, struct request *r);
rpc_status_t rom_serve(struct session *s, struct request *q);
rpc_status_t log_serve(struct session *s, struct request *q);
rpc_status_t iomem_serve(struct session *s, struct request *q);
rpc_status_t ioport_serve(struct session *s, struct request *q);
rpc_status_t irq_serve(struct session *s, struct request *q);
rpc_status_t dma_serve(struct session *s, struct request *q);
void core_log_line(const char *label, const char *text, size_t len);

/* ---- core's child and the parent interface (parent.c) -------------------------- */
void parent_serve(struct object *child, struct request *r);
void init_start(struct bootinfo *bi);

extern struct bootinfo *core_bootinfo;
extern word_t core_num_cpus;

/* Bytes of core's loaded image (code, data, static tables, bss). */
#define CORE_PANIC_EXIT 99   /* exit code of the machine after core_panic */
word_t core_image_bytes(void);
extern word_t core_ram_kept;   /* image + core's own objects and heap when init started */

/* Fatal error in core itself. */
void core_panic(const char *what, long value) __attribute__((noreturn));

#endif
