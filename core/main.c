/*
 * Core, the root task: takes every boot capability, builds its allocators,
 * starts init and then serves every request and fault on one endpoint
 * until the machine stops. Trusts the kernel and the boot info; trusts no
 * message: every request is looked up by its badge, checked, and answered.
 */
#include "core.h"
#include <arch/syscall.h>
#include <argil/thread.h>

struct bootinfo *core_bootinfo;
word_t core_num_cpus;

/* Core cannot go on: say so and stop the machine with exit code 99 (QEMU
 * exits with status 199 under tools/run.py, which fails the boot). */
void core_panic(const char *what, long value)
{
	printf("[core] PANIC: %s (%ld); stopping the machine\n", what, value);
	sys_debug_halt(CORE_PANIC_EXIT);
	for (;;)
		;
}

static void print_stats(const char *when)
{
	printf("[core] %s: free RAM %lu KiB in %lu untyped blocks, core slots free %lu, "
	       "CSpace leaves free %lu, objects %lu, core heap %lu bytes, buddy nodes %lu "
	       "(static pool: %lu free)\n", when,
	       ut_ram_free() / 1024, ut_blocks_free(), core_acct.slots_free, cspace_free_tops(),
	       obj_count(), heap_in_use(), ut_nodes_live(), ut_pool_free());
}

/* Dispatch one request by the kind of the object its badge names. */
static bool dispatch(struct rpc_msg *m, struct rpc_msg *rep)
{
	struct request r = { m, rep };
	word_t kind = (m->badge >> OBJ_KIND_SHIFT) & OBJ_KIND_MASK;
	bool self = (m->badge & PD_SELF_BIT) != 0;

	rpc_init(rep, RPC_OK);
	if (kind == K_FAULT && !self)
		return fault_handle(m->badge, m);
	struct object *o = obj_lookup(m->badge & ~PD_SELF_BIT, K_NONE);
	if (!o || (self && o->kind != K_PD)) {
		rep->label = RPC_E_INVALID_CAP;
		return true;
	}
	switch (o->kind) {
	case K_PD: pd_serve((struct pd *)o, &r, self); break;
	case K_CPU: cpu_serve((struct cpu_session *)o, &r); break;
	case K_THREAD: thread_serve((struct thread *)o, &r); break;
	case K_DS: ds_serve((struct ds *)o, &r); break;
	case K_CHILD: parent_serve(o, &r); break;
	case K_ROM: case K_LOG: case K_IOMEM: case K_IOPORT: case K_IRQ: case K_DMA:
		session_serve((struct session *)o, &r);
		break;
	default:
		rep->label = RPC_E_INVALID_CAP;
	}
	return true;
}

static void serve(void) __attribute__((noreturn));
static void serve(void)
{
	struct thread_info *ti = thread_self();
	struct ipc_buffer *ib = ti->ipc;
	static struct rpc_msg req, rep;
	bool reply = false;
	cptr_t recv = 0;

	for (;;) {
		struct sys_msg s;
		core_reserve();
		if (!recv && slot_get(&core_acct, &recv) != RPC_OK)
			core_panic("no slot to receive capabilities", 0);
		ib->recv_cnode = core_root;
		ib->recv_index = recv;
		ib->recv_depth = 64;
		if (reply) {
			rpc_msg_to_sys(&rep, &s, ib);
			sys_reply_recv(core_ep, &s);
		} else {
			s.info = 0;
			s.mr[0] = s.mr[1] = s.mr[2] = s.mr[3] = 0;
			sys_recv(core_ep, &s);
		}
		rpc_msg_from_sys(&req, &s, ib, recv);
		reply = dispatch(&req, &rep);
		if (req.cap_kind == RPC_CAP_PLACED) {
			/* whatever the handler did not move away is dropped */
			c_delete(recv);
		}
	}
}

word_t core_ram_kept;

/* Once, before init starts: the RAM found, the kernel's part, and what
 * core keeps for itself (its image with static tables, the kernel objects
 * and heap pages of its own bookkeeping), also per GiB of the RAM that
 * core manages (the figure core_ram_per_gib of core_bench). */
static void print_ram(struct bootinfo *bi)
{
	word_t total = bi->total_ram, managed = ut_ram_total();

	core_ram_kept = core_image_bytes() + core_acct.ram_used;
	printf("[core] RAM: %lu MiB found, kernel keeps %lu KiB, core keeps %lu KiB "
	       "(image and static tables %lu KiB, kernel objects and heap %lu KiB; "
	       "%lu bytes per GiB), %lu MiB free\n",
	       total >> 20, bi->kernel_reserved / 1024, core_ram_kept / 1024,
	       core_image_bytes() / 1024, core_acct.ram_used / 1024,
	       (word_t)(((__uint128_t)core_ram_kept << 30) / (managed ? managed : 1)),
	       ut_ram_free() >> 20);
}

word_t core_image_bytes(void)
{
	extern char __image_start[], __image_end[];

	return (word_t)__image_end - (word_t)__image_start;
}

int main(struct bootinfo *bi)
{
	if (bi->magic != BOOTINFO_MAGIC)
		core_panic("bad boot info", 0);
	core_bootinfo = bi;
	core_num_cpus = bi->num_cpus;
	printf("[core] Argil core: %lu CPUs, %lu MiB RAM, %lu modules\n", bi->num_cpus,
	       bi->total_ram >> 20, bi->num_modules);
	cspace_boot(bi);        /* the boot CNode's free slots are core's first */
	untyped_init(bi);       /* buddy allocator over the boot untypeds */
	cspace_init(bi);        /* two-level CSpace */
	heap_init_core();
	vm_init(bi);            /* page tables of core's heap, module and scratch windows */
	untyped_heap_ready();   /* buddy nodes from now on from core's heap */
	objects_init();         /* badge table */
	core_reserve();
	struct kobj ep;
	if (kobj_new(&core_acct, OBJ_ENDPOINT, 0, &ep) != RPC_OK)
		core_panic("core's endpoint", 0);
	core_ep = ep.cap;
	rom_init(bi);           /* boot modules as ROMs */
	print_stats("boot");
	print_ram(bi);          /* what RAM there is and what core keeps of it */
	init_start(bi);
	print_stats("init started");
	serve();
}
