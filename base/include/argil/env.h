/*
 * A small object allocator for root tasks and tests.
 *
 * Objects are retyped, one at a time, from the non-device untyped caps
 * listed in bootinfo, into free slots of the root CNode. Every untyped that
 * served an allocation is remembered; env_reset() revokes those untypeds
 * (destroying every object and every cap derived from them), deletes every
 * slot handed out since env_init() and rewinds the allocators, so the next
 * user starts from clean memory.
 *
 * The root VSpace gets one page table of its own at ENV_SCRATCH_VADDR
 * (made from a reserved untyped that env_reset never revokes): env_map()
 * maps frames there so the root can fill them.
 *
 * A "clone" VSpace (struct vspace) holds a private copy of the program's
 * image at the same addresses, so threads in it run the same code; each
 * thread there has a stack and an IPC buffer in REMOTE_REGION.
 */
#ifndef ARGIL_ENV_H
#define ARGIL_ENV_H

#include <argil/abi.h>
#include <argil/thread.h>
#include <stdint.h>

#define ENV_SCRATCH_VADDR 0x0000008000000000ull /* PML4 slot 1 of the root VSpace */
#define ENV_SCRATCH_PAGES 511                    /* page 511 is the copy window */
#define ENV_TEST_VADDR 0x0000010000000000ull    /* PML4 slots 2.. are free for tests */

#define REMOTE_REGION 0x10000000ull        /* 2 MiB covered by one page table */
#define REMOTE_THREAD_STRIDE 0x20000ull    /* 64 KiB stack + IPC buffer page */
#define REMOTE_MAX_THREADS 12
#define REMOTE_SHARED (REMOTE_REGION + REMOTE_MAX_THREADS * REMOTE_THREAD_STRIDE)
#define REMOTE_STACK_PAGES 4               /* mapped top pages of each stack */

struct env_untyped {
	cptr_t cap;
	uint8_t bits;
	uint8_t touched;
};

struct env {
	struct bootinfo *bi;
	word_t radix;
	word_t slot_base, slot_next, slot_end;  /* free slot range of the root CNode */
	int n_ut, ut_cur;
	struct env_untyped ut[BOOTINFO_MAX_UNTYPED]; /* largest first */
	cptr_t perm_ut;                         /* env's own, never revoked */
	word_t scratch_next;                    /* next free page of the scratch window */
	word_t stacks_used;                     /* bit i: base_stacks[i] in use */
	word_t total_bytes;                     /* of all pool untypeds */
	cptr_t only_ut;                         /* if set, env_new uses only this untyped */
};

abi_error_t env_init(struct env *e, struct bootinfo *bi);
void env_reset(struct env *e);

/* A free slot of the root CNode, 0 if none is left. */
cptr_t env_slot(struct env *e);
/* Retype one object into a fresh slot. */
abi_error_t env_new(struct env *e, word_t type, word_t size_bits, cptr_t *out);
/* Same, returning the cptr or 0 on failure. */
cptr_t env_obj(struct env *e, word_t type, word_t size_bits);
/* Size in bits of the largest pool untyped. */
word_t env_max_untyped_bits(struct env *e);

/* Map a frame into the root VSpace's scratch window; NULL on failure. */
void *env_map(struct env *e, cptr_t frame, word_t rights);
/* A new zeroed 4 KiB frame mapped read-write in the scratch window. */
void *env_page(struct env *e, cptr_t *frame_out);

/* Copy n bytes of src into a frame through the copy window (offset in
 * the frame), or with src NULL: zero them. */
abi_error_t env_fill_frame(struct env *e, cptr_t frame, word_t offset, const void *src, word_t n);

/* A thread. Fields are for the creator; ipc and info are the root's view
 * (NULL for threads in another VSpace). */
struct thread {
	cptr_t tcb;
	cptr_t ipc_frame;
	struct ipc_buffer *ipc;
	struct thread_info *info;
	word_t ipc_vaddr;
	word_t stack_top;
	int stack_index;
};

struct vspace {
	cptr_t pml4, pdpt, pd, pt_image, pt_remote;
	int threads;        /* thread slots used in REMOTE_REGION */
	word_t next_shared; /* next free page in REMOTE_SHARED.. */
};

/* A thread in the root's VSpace and CSpace, suspended, priority 0. */
abi_error_t thread_create(struct env *e, struct thread *t, cptr_t fault_ep);
/* The same with a TCB the caller made. */
abi_error_t thread_create_tcb(struct env *e, struct thread *t, cptr_t tcb, cptr_t fault_ep);
/* A thread in a clone VSpace with CSpace root `cspace` (guard data as for
 * TCB_CONFIGURE); self is the cptr of its TCB in that CSpace (0 if none,
 * THREAD_SELF: the new TCB's slot in the root CNode, for threads that share
 * the root's CSpace). */
#define THREAD_SELF (~(cptr_t)0)
abi_error_t thread_create_in(struct env *e, struct thread *t, struct vspace *vs, cptr_t cspace,
			     word_t cspace_guard, cptr_t fault_ep, cptr_t self);
/* Set registers so the thread runs fn(a0, a1), set priority and CPU, resume. */
abi_error_t thread_start(struct thread *t, void *fn, word_t a0, word_t a1, word_t prio, word_t cpu);
/* Only set up registers (the thread stays suspended). */
abi_error_t thread_prepare(struct thread *t, void *fn, word_t a0, word_t a1);

/* A VSpace holding a copy of this program's image. */
abi_error_t vspace_clone(struct env *e, struct vspace *vs);
/* A new zeroed frame mapped read-write both in the root (returned) and in
 * vs (at *remote_vaddr). */
void *vspace_share(struct env *e, struct vspace *vs, word_t *remote_vaddr);

#endif
