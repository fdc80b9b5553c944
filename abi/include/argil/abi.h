/*
 * The Argil kernel ABI: everything kernel and user space must agree on.
 * Compiled by both sides; contains no code, only numbers and layouts.
 * docs/kernel.md is the prose reference for every item here.
 */
#ifndef ARGIL_ABI_H
#define ARGIL_ABI_H

#include <stdint.h>

typedef uint64_t word_t;
typedef word_t cptr_t;

/* ---- System calls (number in rax) ----------------------------------------
 * In:  rdi = capability address, rsi = message info,
 *      rdx, r8, r9, r10 = message registers 0..3.
 * Out: rdi = badge (receive operations), rsi = message info,
 *      rdx, r8, r9, r10 = message registers 0..3.
 * rcx and r11 are clobbered by the SYSCALL instruction (the kernel does not
 * save them either); all other registers are preserved. */
enum sys_number {
	SYS_CALL = 1,        /* send, then wait for the reply (invocations too) */
	SYS_REPLY_RECV = 2,  /* reply to the caller, then receive */
	SYS_SEND = 3,        /* blocking send; on a notification: signal */
	SYS_NBSEND = 4,      /* send if a receiver waits, else drop */
	SYS_RECV = 5,        /* blocking receive; on a notification: wait */
	SYS_NBRECV = 6,      /* receive if a message is pending; on a notification: poll */
	SYS_REPLY = 7,       /* reply to the caller */
	SYS_YIELD = 8,       /* give up the rest of the time slice */
	SYS_DEBUG_PUTCHAR = 9,   /* write rdi's low byte to the kernel console */
	SYS_DEBUG_CAP_TYPE = 10, /* rdx out: cap type at address rdi, or 0 */
	SYS_DEBUG_HALT = 11,     /* print rdi as exit code and stop the machine */
	SYS_HALTED_TIME = 12,    /* CPU rdi: mr0 TSC ticks halted in its idle loop, mr1 TSC now */
	SYS_COUNT
};

#define ABI_MSG_REGS 4           /* message words carried in registers */
#define ABI_MSG_MAX 120          /* message words in all */
#define ABI_MSG_EXTRA_CAPS 4     /* cptrs a message may name; at most one cap is placed
				    in the receiver's CSpace, the others arrive only if
				    unwrapped (docs/kernel.md 2.4) */

/* Message info word: [63:14] label, [13:10] caps unwrapped,
 * [9:7] extra caps, [6:0] length in words. */
#define MI_LEN_BITS 7
#define MI_CAPS_BITS 3
#define MI_UNWRAP_BITS 4
#define MI_LABEL_SHIFT (MI_LEN_BITS + MI_CAPS_BITS + MI_UNWRAP_BITS)

static inline word_t mi_make(word_t label, word_t unwrapped, word_t caps, word_t len)
{
	return (label << MI_LABEL_SHIFT) |
	       ((unwrapped & 0xf) << (MI_LEN_BITS + MI_CAPS_BITS)) |
	       ((caps & 0x7) << MI_LEN_BITS) | (len & 0x7f);
}
static inline word_t mi_label(word_t mi) { return mi >> MI_LABEL_SHIFT; }
static inline word_t mi_unwrapped(word_t mi) { return (mi >> (MI_LEN_BITS + MI_CAPS_BITS)) & 0xf; }
static inline word_t mi_caps(word_t mi) { return (mi >> MI_LEN_BITS) & 0x7; }
static inline word_t mi_len(word_t mi) { return mi & 0x7f; }

/* The IPC buffer: one per thread, registered with TCB_CONFIGURE as a
 * virtual address aligned to 1024 bytes and a RAM frame cap with WRITE
 * (not a device frame). The kernel reaches it through that frame, at the
 * address's offset in it, not through the thread's page tables. */
struct ipc_buffer {
	word_t msg[ABI_MSG_MAX];          /* msg[0..3] travel in registers */
	word_t caps[ABI_MSG_EXTRA_CAPS];  /* send: cptrs; receive: badges of unwrapped caps */
	word_t recv_cnode;                /* where a received capability goes: */
	word_t recv_index;                /*   CNode (resolved at depth 64), */
	word_t recv_depth;                /*   then index at depth */
	word_t user_data;                 /* free for the thread's own use */
	word_t pad[128 - ABI_MSG_MAX - ABI_MSG_EXTRA_CAPS - 4];
};
#define ABI_IPC_BUFFER_SIZE 1024

/* ---- Errors (label of an invocation's reply) ------------------------------ */
typedef enum abi_error {
	E_OK = 0,
	E_INVALID_ARGUMENT = 1,  /* mr0 of the reply: index of the bad argument */
	E_INVALID_CAPABILITY = 2,/* mr0: index of the bad capability (0 = invoked cap, 1.. = extra caps) */
	E_ILLEGAL_OPERATION = 3, /* this object does not do that */
	E_RANGE = 4,             /* mr0, mr1: the allowed minimum and maximum */
	E_ALIGNMENT = 5,
	E_FAILED_LOOKUP = 6,     /* mr0: 1 if the source lookup failed, else 0; mr1: lookup failure kind */
	E_TRUNCATED_MESSAGE = 7, /* too few arguments or capabilities */
	E_DELETE_FIRST = 8,      /* destination slot is not empty */
	E_REVOKE_FIRST = 9,      /* reserved: never returned by this kernel */
	E_NOT_ENOUGH_MEMORY = 10,/* mr0: bytes available */
	E_NO_RIGHTS = 11,        /* the capability lacks a needed right */
	E_MAPPED = 12,           /* already mapped elsewhere (for tables: any cap to it) / slot occupied */
	E_NOT_MAPPED = 13,       /* a needed paging structure is missing; mr0: its level */
	E_DELETED = 14,          /* the object waited on was destroyed */
	E_NO_REPLY = 15,         /* no caller to reply to */
	E_BUSY = 16,             /* the IRQ or resource is already in use */
	E_COUNT
} abi_error_t;

/* Lookup failure kinds (mr1 of E_FAILED_LOOKUP). */
enum lookup_fault {
	LF_NONE = 0,
	LF_INVALID_ROOT = 1,     /* root is not a CNode */
	LF_MISSING_CAP = 2,      /* resolved to an empty slot */
	LF_DEPTH_MISMATCH = 3,   /* bits left over, or too few */
	LF_GUARD_MISMATCH = 4,
};

/* ---- Object and capability types ------------------------------------------ */
enum obj_type {
	OBJ_NULL = 0,
	OBJ_UNTYPED = 1,
	OBJ_TCB = 2,
	OBJ_ENDPOINT = 3,
	OBJ_NOTIFICATION = 4,
	OBJ_CNODE = 5,
	OBJ_PML4 = 6,
	OBJ_PDPT = 7,
	OBJ_PD = 8,
	OBJ_PT = 9,
	OBJ_FRAME_4K = 10,
	OBJ_FRAME_2M = 11,
	OBJ_RETYPABLE_COUNT,
	/* capability types that name no retypable object */
	CAP_IRQ_CONTROL = 16,
	CAP_IRQ_HANDLER = 17,
	CAP_IOPORT_CONTROL = 18,
	CAP_IOPORT = 19,
	CAP_REPLY = 20,
};

/* Object sizes (log2 bytes). CNode: slot bits + radix. Untyped: the size argument. */
#define OBJ_TCB_BITS 11
#define OBJ_ENDPOINT_BITS 5
#define OBJ_NOTIFICATION_BITS 6
#define OBJ_CNODE_SLOT_BITS 6
#define OBJ_PAGE_BITS 12
#define OBJ_LARGE_PAGE_BITS 21
#define OBJ_UNTYPED_MIN_BITS 4
#define OBJ_UNTYPED_MAX_BITS 47
#define OBJ_CNODE_MAX_RADIX 20

/* Size (log2 bytes) of an object of this type; size_bits is the Untyped's
 * size or the CNode's radix (ignored for the others). 0 for a type that is
 * not retypable. */
static inline word_t abi_object_bits(word_t type, word_t size_bits)
{
	switch (type) {
	case OBJ_UNTYPED: return size_bits;
	case OBJ_TCB: return OBJ_TCB_BITS;
	case OBJ_ENDPOINT: return OBJ_ENDPOINT_BITS;
	case OBJ_NOTIFICATION: return OBJ_NOTIFICATION_BITS;
	case OBJ_CNODE: return OBJ_CNODE_SLOT_BITS + size_bits;
	case OBJ_PML4: case OBJ_PDPT: case OBJ_PD: case OBJ_PT:
	case OBJ_FRAME_4K: return OBJ_PAGE_BITS;
	case OBJ_FRAME_2M: return OBJ_LARGE_PAGE_BITS;
	default: return 0;
	}
}

/* Capability rights. */
#define RIGHT_READ (1u << 0)
#define RIGHT_WRITE (1u << 1)
#define RIGHT_GRANT (1u << 2)
#define RIGHT_GRANT_REPLY (1u << 3)
#define RIGHTS_ALL 0xfu

/* Badges are 62 bits; 0 means unbadged. */
#define ABI_BADGE_BITS 62

/* ---- Invocation labels and arguments: argil/invocations.h ----------------- */

/* Frame map attributes. */
#define MAP_EXECUTE (1u << 0)     /* default is no-execute */
#define MAP_UNCACHED (1u << 1)
#define MAP_WRITE_COMBINING (1u << 2)

/* Highest user virtual address + 1 (canonical lower half). */
#define ABI_USER_TOP 0x0000800000000000ull

/* Registers for TCB_READ/WRITE_REGISTERS, in this order. */
enum tcb_reg {
	REG_RIP, REG_RSP, REG_RFLAGS, REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI,
	REG_RDI, REG_RBP, REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13,
	REG_R14, REG_R15, REG_FS_BASE, REG_GS_BASE, REG_COUNT
};

#define ABI_PRIO_MAX 255
#define ABI_MAX_CPUS 16

/* ---- Faults, delivered as a Call to the fault endpoint ---------------------
 * The badge is that of the fault endpoint capability. Reply with any message
 * to resume the thread where its saved rip points: a page fault or exception
 * retries the faulting instruction, an unknown system call continues after
 * the SYSCALL. Reply with label 1 and REG_COUNT words to also set its
 * registers. (4 is not used: a Send or Recv on an invalid cap returns
 * E_INVALID_CAPABILITY, it does not fault.) */
enum fault_label {
	FAULT_NONE = 0,
	FAULT_PAGE = 1,        /* msg: rip, address, error code (FAULT_PF_* bits) */
	FAULT_EXCEPTION = 2,   /* msg: rip, vector, error code, rsp */
	FAULT_UNKNOWN_SYSCALL = 3, /* msg: rip (after the SYSCALL), rax, rsp */
};
#define FAULT_REPLY_SET_REGS 1

/* The error code of a FAULT_PAGE message (msg word 2). */
#define FAULT_PF_PRESENT (1u << 0)   /* the page was mapped: an access violation */
#define FAULT_PF_WRITE (1u << 1)     /* a write (else a read or fetch) */
#define FAULT_PF_USER (1u << 2)      /* from user mode */
#define FAULT_PF_FETCH (1u << 4)     /* an instruction fetch */

/* ---- Boot info: a page mapped read-only into the root task ---------------
 * Its address is passed in rdi at the root task's entry. */
#define BOOTINFO_MAGIC 0x415247494c424f4full /* "ARGILBOO" */
#define BOOTINFO_MAX_UNTYPED 128
#define BOOTINFO_MAX_MODULES 16

/* Fixed slots in the root CNode. */
enum init_cap {
	INIT_NULL = 0,
	INIT_TCB = 1,
	INIT_CNODE = 2,
	INIT_VSPACE = 3,
	INIT_IRQ_CONTROL = 4,
	INIT_IOPORT_CONTROL = 5,
	INIT_BOOTINFO_FRAME = 6,
	INIT_IPC_BUFFER = 7,
	INIT_FIRST_FREE_FIXED = 8,
};

struct slot_range { word_t start, end; }; /* [start, end) */

struct bootinfo_untyped {
	word_t paddr;
	uint8_t size_bits;
	uint8_t is_device;
	uint8_t pad[6];
};

struct bootinfo_module {
	word_t paddr;
	word_t size;          /* bytes */
	struct slot_range frames;  /* 4 KiB frame caps covering it, in order */
	char name[64];        /* the module's command line */
};

/* The boot loader's linear framebuffer (multiboot2 framebuffer tag, direct
 * RGB only); paddr 0: none. Each colour is the bits [pos, pos + size) of a
 * pixel of bpp bits. */
struct bootinfo_fb {
	word_t paddr;
	word_t pitch;                 /* bytes from one line to the next */
	uint32_t width, height;       /* pixels */
	uint8_t bpp;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
	uint8_t pad;
};

/* bootinfo.features: what the kernel offers on this machine. */
#define BOOTINFO_F_MSI   (1ull << 0)  /* IRQ_CONTROL_GET_MSI: MSI handlers */
#define BOOTINFO_F_MSIX  (1ull << 1)  /* the same address/data pairs serve MSI-X table entries */
#define BOOTINFO_F_IOMMU (1ull << 2)  /* the firmware lists an IOMMU (ACPI DMAR table) */

struct bootinfo {
	word_t magic;
	word_t num_cpus;
	word_t cnode_radix;           /* root CNode: cptrs resolve at depth 64 */
	word_t ipc_buffer;            /* vaddr of the root task's IPC buffer */
	word_t tsc_per_ms;            /* calibrated TSC rate */
	word_t total_ram;             /* bytes of usable RAM found */
	word_t kernel_reserved;       /* bytes the kernel kept for itself */
	struct slot_range empty;      /* free slots in the root CNode */
	struct slot_range untyped;    /* one untyped cap per untyped_list entry */
	word_t num_untyped;
	word_t num_modules;
	struct bootinfo_untyped untyped_list[BOOTINFO_MAX_UNTYPED];
	struct bootinfo_module modules[BOOTINFO_MAX_MODULES];
	word_t hpet_paddr;            /* HPET registers (ACPI HPET table); 0: none */
	/* ACPI: the firmware's RSDP (0 if only the loader's copy was found),
	 * its revision and the root tables it names (0: none) */
	word_t acpi_rsdp;
	word_t acpi_revision;
	word_t acpi_rsdt, acpi_xsdt;
	struct bootinfo_fb fb;
	word_t features;              /* BOOTINFO_F_* */
	word_t msi_vectors;           /* MSI handlers IRQ_CONTROL_GET_MSI numbers 0.. */
	word_t boot_tsc;              /* the boot CPU's TSC when the kernel was entered */
};

/* Root task virtual layout. */
#define ROOT_BOOTINFO_VADDR   0x00007f0000000000ull
#define ROOT_IPC_BUFFER_VADDR 0x00007f0000001000ull
#define ROOT_STACK_TOP        0x00007f0000100000ull
#define ROOT_STACK_SIZE       0x40000ull

#include <argil/invocations.h>

#endif
