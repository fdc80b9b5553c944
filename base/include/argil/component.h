/*
 * What every component sees at start: its well-known capability slots, the
 * info page its parent wrote, the address-space layout, and the component
 * environment passed to component_construct() (docs/framework.md,
 * "Components").
 *
 * A component is one PD at core: one CNode (2^cnode_bits slots, guarded so
 * that a cptr is simply the slot index at depth 64), one VSpace, threads.
 * Its main thread starts at the ELF entry (_component_start, crt0 in
 * base/arch/x86_64/component_crt0.S) with rdi = the info page and rsp at
 * the top of its stack; the runtime sets up the slot allocator, the heap
 * and the LOG session, calls component_construct(env) and then serves the
 * main entrypoint (RPC and signals) forever.
 */
#ifndef ARGIL_COMPONENT_H
#define ARGIL_COMPONENT_H

#include <argil/abi.h>
#include <argil/entrypoint.h>
#include <stdint.h>

/* Well-known slots in every component's CNode. */
enum component_slot {
	COMPONENT_NULL = 0,
	COMPONENT_PARENT = 1,    /* parent interface: the parent's endpoint, badged for this child */
	COMPONENT_PD = 2,        /* own PD session at core */
	COMPONENT_CPU = 3,       /* own CPU session at core (installed by the parent) */
	COMPONENT_MAIN_EP = 4,   /* the main entrypoint's endpoint (made by core with the PD) */
	COMPONENT_MAIN_NTFN = 5, /* notification bound to the main thread (made with the thread) */
	COMPONENT_CNODE = 6,     /* own CNode (for Mint/Copy/Delete/SaveCaller in own CSpace) */
	COMPONENT_FIRST_FREE = 16, /* 7..15 reserved (PD_INSTALL may fill 8..15); the rest is the
	                              component's own slot allocator's */
};
#define COMPONENT_INSTALL_FIRST 8   /* PD_INSTALL targets: PARENT, CPU and 8..15 */
#define COMPONENT_INSTALL_LAST 15

/* Address-space layout of a component (core enforces the stack area). */
#define COMPONENT_IMAGE_MIN     0x0000000000400000ull /* images link at or above this */
#define COMPONENT_IMAGE_END     0x0000000010000000ull /* ... and end below this */
#define COMPONENT_ANY_BASE      0x0000000010000000ull /* attach "anywhere" starts here */
#define COMPONENT_STACK_AREA    0x00007e0000000000ull /* thread windows */
#define COMPONENT_STACK_WINDOWS 4096                  /* of BASE_STACK_SIZE (64 KiB) each */
#define COMPONENT_STACK_AREA_END (COMPONENT_STACK_AREA + COMPONENT_STACK_WINDOWS * 0x10000ull)
#define COMPONENT_ANY_END       COMPONENT_STACK_AREA  /* attach "anywhere" stays below */
/* A thread window: page 0 is the thread's UTCB (core's frame): struct
 * thread_info at offset 0, the IPC buffer at offset COMPONENT_IPC_OFFSET;
 * the stack is attached by the thread's creator at the window's top. */
#define COMPONENT_IPC_OFFSET    0x400
#define COMPONENT_MAIN_STACK    (32 * 1024)           /* main stack the parent attaches */

#define COMPONENT_INFO_MAGIC 0x4f464e49504d4f43ull   /* "COMPINFO" */
#define COMPONENT_LABEL_MAX 128

/* The info page: one read-only page in the component's address space,
 * written by the parent, address in rdi at the entry. */
struct component_info {
	word_t magic;
	word_t version;          /* 1 */
	word_t cnode_bits;       /* CNode size: 2^cnode_bits slots */
	word_t first_free_slot;  /* COMPONENT_FIRST_FREE */
	word_t main_window;      /* the main thread's window (UTCB page, stack at its top) */
	word_t main_thread;      /* slot of the main thread's capability, 0 if none */
	word_t priority;         /* the main thread's priority, the top of its band */
	word_t priority_floor;   /* the lowest priority the component may give its
	                            children: its band is [priority_floor, priority] */
	word_t reserved[8];
	char label[COMPONENT_LABEL_MAX]; /* the component's name as its parent knows it */
	char args[256];          /* free-form start arguments from the parent */
};

struct heap;

/* The environment of a component. */
struct component_env {
	const struct component_info *info;
	struct entrypoint ep;    /* the main entrypoint (COMPONENT_MAIN_EP / MAIN_NTFN) */
	cptr_t parent;           /* COMPONENT_PARENT */
	cptr_t pd;               /* COMPONENT_PD */
	cptr_t cpu;              /* COMPONENT_CPU */
	cptr_t log;              /* LOG session (0 if none could be opened) */
	word_t log_id;
	struct heap *heap;
};

/* Implemented by each component; called once on the main thread. When it
 * returns, the main thread serves env->ep until component_exit(). */
void component_construct(struct component_env *env);

/* The running component's environment (valid from component_construct on). */
struct component_env *component_env(void);

/* Tell the parent we are done (PARENT_EXIT) and stop all threads of this
 * component; does not return. */
void component_exit(int value) __attribute__((noreturn));

#endif
