/*
 * Starting a child component through core's services, the way init does
 * it (and tests that act as init): PD and CPU sessions paid by the child's
 * quota, the binary from a ROM session, the static ELF loaded with
 * base's loader into RAM dataspaces of the child's PD, the parent
 * capability installed, a main thread with a stack and the info page
 * (docs/framework.md, "Starting a child"). A library: lib/child,
 * LIBS := child.
 *
 * All sessions are requested from `parent` (the calling component's own
 * parent, which routes them to core). The child's PARENT capability is
 * `parent_cap`: normally a badged capability of the caller's entrypoint
 * that serves the parent interface for this child.
 */
#ifndef CHILD_H
#define CHILD_H

#include <argil/component.h>
#include <argil/elf.h>
#include <argil/heap.h>

struct child_spec {
	const char *name;        /* the child's label */
	const char *binary;      /* ROM name of its ELF image */
	word_t ram, caps;        /* the child's quota (its PD session's donation) */
	word_t priority;         /* main thread priority (and the PD's limit) */
	word_t priority_floor;   /* the bottom of the child's band (info page) */
	word_t cnode_bits;       /* 0: PD_CNODE_BITS_DEFAULT */
	const char *args;        /* copied into the info page */
	cptr_t parent_cap;       /* installed as the child's COMPONENT_PARENT */
	word_t cpu_ram, cpu_caps; /* quota of its CPU session (part of ram/caps);
	                            0: CHILD_CPU_SESSION_RAM / _CAPS */
};

/* The steps of child_start, in order: where it failed (struct child). */
enum child_step {
	CHILD_STEP_PD,           /* the PD session (the child's quota) */
	CHILD_STEP_CPU,          /* the CPU session */
	CHILD_STEP_BINARY,       /* the ROM session of the binary, its ELF image */
	CHILD_STEP_SETUP,        /* capabilities, main thread, stack, info page */
};

struct child {
	char name[COMPONENT_LABEL_MAX];
	cptr_t pd, cpu, thread;  /* capabilities in the caller's CSpace */
	word_t pd_id, cpu_id;    /* session ids at the caller's parent */
	word_t window, info_addr, entry;
	enum elf_error elf_error; /* why loading failed (if it did) */
	enum child_step step;    /* the step child_start failed in (if it did) */
	int started;
};

/* Start a child. On failure everything made so far is released, the
 * status says why and c->step where (RPC_E_INVALID_ARGUMENT with
 * c->elf_error set for a bad binary, RPC_E_NOT_FOUND in CHILD_STEP_BINARY
 * for a binary the ROM service does not have). */
rpc_status_t child_start(cptr_t parent, const struct child_spec *spec, struct child *c);
/* Close the child's CPU and PD sessions: the PD and everything in it is
 * destroyed and its quota returns. */
rpc_status_t child_destroy(cptr_t parent, struct child *c);

/* Default quota of a child's CPU session (paid by the child): the main
 * thread and a few more (a thread costs about 7 KiB and 3 caps). */
#define CHILD_CPU_SESSION_RAM (48 * 1024)
#define CHILD_CPU_SESSION_CAPS 16

#endif
