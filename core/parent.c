/*
 * Core as a parent: starting init (the boot module named "init") as core's
 * only child with all remaining quota, and serving init's parent interface
 * (sessions of core's services, upgrade, close, exit). Init's requests
 * carry labels that core prefixes with "init"; a request may name the PD
 * that pays (a PD capability), else init pays.
 */
#include "core.h"
#include <argil/args.h>
#include <argil/component.h>
#include <argil/cpu.h>
#include <argil/elf.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/thread.h>

#define INIT_PRIORITY (ABI_PRIO_MAX - 1)   /* core's own thread keeps 255 */
#define CORE_RAM_RESERVE (8ul << 20)       /* RAM core keeps for itself */
#define INIT_RAM_MIN (1ul << 20)           /* less cannot even pay for init's PD */
#define CORE_CAP_RESERVE 64
/* init gets one cap per KiB of the RAM it gets (a capability costs its
 * holder far more: a slot of 64 bytes in core's CSpace, the object, its
 * kernel object), at most what core's object table can index. Core keeps
 * back from init's RAM what its table needs to hold them all. */
#define CORE_RAM_PER_CAP 1024ul

struct child {
	struct object obj;        /* K_CHILD: the PARENT capability of init */
	struct pd *pd;
	struct cpu_session *cpu;
};

static struct child init_child;

static rpc_status_t open_session(struct pd *payer, const char *service, const char *label,
				 const char *args, word_t ram, word_t caps, struct session **out)
{
	uint64_t bits, prio;
	rpc_status_t st;

	if (!strcmp(service, "PD")) {
		word_t limit = payer ? payer->prio_limit : INIT_PRIORITY;
		struct pd *pd;
		if (args_u64(args, "cnode_bits", PD_CNODE_BITS_DEFAULT, &bits) < 0 ||
		    args_u64(args, "priority", limit, &prio) < 0)
			return RPC_E_INVALID_ARGUMENT;
		st = pd_create(payer, label, ram, caps, bits, prio, &pd);
		*out = pd ? &pd->s : 0;
		return st;
	}
	if (!strcmp(service, "CPU")) {
		struct cpu_session *c;
		st = cpu_session_create(payer, args, ram, caps, &c);
		*out = st == RPC_OK ? &c->s : 0;
		if (st == RPC_OK)
			memcpy(c->s.label, label, strlen(label) < sizeof(c->s.label) ? strlen(label) + 1 : 1);
		return st;
	}
	if (!strcmp(service, "ROM"))
		return rom_session_create(payer, label, ram, caps, out);
	if (!strcmp(service, "LOG"))
		return log_session_create(payer, label, ram, caps, out);
	if (!strcmp(service, "IO_MEM"))
		return iomem_session_create(payer, args, ram, caps, out);
	if (!strcmp(service, "IO_PORT"))
		return ioport_session_create(payer, args, ram, caps, out);
	if (!strcmp(service, "IRQ"))
		return irq_session_create(payer, args, ram, caps, out);
	if (!strcmp(service, "DMA"))
		return dma_session_create(payer, ram, caps, out);
	return RPC_E_NOT_FOUND;
}

/* The PD that pays: the one named by the request's capability, or init. */
static struct pd *payer_of(struct child *c, struct rpc_msg *m, rpc_status_t *st)
{
	*st = RPC_OK;
	if (m->cap_kind == RPC_CAP_NONE)
		return c->pd;
	if (m->cap_kind == RPC_CAP_UNWRAPPED) {
		struct pd *pd = pd_of_badge(m->cap_badge, 0);
		if (pd && !pd->dying)
			return pd;
	}
	*st = RPC_E_INVALID_CAP;
	return 0;
}

static struct session *session_of(word_t id)
{
	struct object *o = obj_lookup(id, K_NONE);

	if (!o)
		return 0;
	switch (o->kind) {
	case K_PD: case K_CPU: case K_ROM: case K_LOG: case K_IOMEM: case K_IOPORT: case K_IRQ: case K_DMA:
		break;
	default:
		return 0;
	}
	struct session *s = (struct session *)o;
	return s->via_parent ? s : 0;
}

static rpc_status_t do_session(struct parent_session_call *a)
{
	struct child *c = a->obj;
	char full[SESSION_LABEL_MAX + 8];
	struct session *s;
	struct pd *payer;
	rpc_status_t st;

	payer = payer_of(c, a->in.payer, &st);
	if (!payer)
		return st;
	if (a->in.label[0])
		snprintf(full, sizeof(full), "init -> %s", a->in.label);
	else
		snprintf(full, sizeof(full), "init");
	st = open_session(payer, a->in.service, full, a->in.args, a->in.ram, a->in.caps, &s);
	if (st == RPC_OK && (st = obj_cap(&s->obj, &s->acct, &a->out.session)) != RPC_OK)
		session_close(s);
	if (st != RPC_OK)
		return st;
	s->via_parent = true;
	a->out.id = s->obj.id;
	return RPC_OK;
}

static rpc_status_t do_upgrade(struct parent_upgrade_call *a)
{
	struct session *s = session_of(a->in.id);
	struct pd *payer;
	rpc_status_t st;

	payer = payer_of(a->obj, a->in.payer, &st);
	if (!s)
		return RPC_E_NOT_FOUND;
	if (!payer)
		return st;
	return session_upgrade(s, payer, a->in.ram, a->in.caps);
}

static rpc_status_t do_close(struct parent_close_call *a)
{
	struct session *s = session_of(a->in.id);

	if (!s)
		return RPC_E_NOT_FOUND;
	session_close(s);
	return RPC_OK;
}

static rpc_status_t do_exit(struct parent_exit_call *a)
{
	printf("[core] init exited with value %ld\n", (long)a->in.value);
	sys_debug_halt(a->in.value);
	return RPC_OK;
}

RPC_SERVER(parent, PARENT_RPC)

/* the rest of the parent interface: RPC_E_UNAVAILABLE */
static const struct parent_server parent_ops = {
	.parent_session = do_session,
	.parent_upgrade = do_upgrade,
	.parent_close = do_close,
	.parent_exit = do_exit,
};

void parent_serve(struct object *obj, struct request *r)
{
	parent_dispatch(&parent_ops, obj, r->msg, r->reply, RPC_E_UNAVAILABLE);
}

/* ---- loading init ---- */

struct load {
	struct pd *pd;
};

/* Copy len bytes of src into ds at byte offset off, through the scratch window. */
static void fill(struct ds *d, word_t off, const void *src, word_t len)
{
	while (len) {
		word_t page = off / PAGE, in = off % PAGE, n = PAGE - in;
		if (n > len)
			n = len;
		char *p = vm_scratch_map(d->frames[page], 0);
		if (!p)
			core_panic("scratch mapping", (long)page);
		memcpy(p + in, src, n);
		vm_scratch_unmap(d->frames[page]);
		src = (const char *)src + n;
		off += n;
		len -= n;
	}
}

static struct ds *pd_ram(struct pd *pd, word_t pages)
{
	struct ds *d;

	if (ds_new_ram(&pd->s.acct, pages, 0, &d) != RPC_OK)
		core_panic("no memory for init", (long)pages);
	d->owner = pd;
	d->next_of_owner = pd->dataspaces;
	pd->dataspaces = d;
	return d;
}

static int load_segment(void *ctx, const struct elf_segment *seg, const void *src)
{
	struct load *l = ctx;
	struct ds *d = pd_ram(l->pd, seg->pages);
	word_t flags = ATTACH_FIXED, addr;

	fill(d, seg->data_offset, src, seg->filesz);
	if (seg->flags & ELF_SEG_W)
		flags |= ATTACH_WRITE;
	if (seg->flags & ELF_SEG_X)
		flags |= ATTACH_EXEC;
	return region_attach(l->pd, d, seg->page_vaddr, seg->pages * PAGE, 0, flags, &addr);
}

void init_start(struct bootinfo *bi)
{
	struct module *mod = rom_find("init");
	struct elf_image elf;
	struct load l;
	struct thread *t;
	struct pd *pd;
	cptr_t cap;
	word_t addr;
	enum elf_error ee;
	rpc_status_t st;

	(void)bi;
	if (!mod)
		core_panic("no boot module named 'init' (module command line \"init\")", 0);
	ee = elf_parse(mod->data, mod->size, COMPONENT_IMAGE_MIN, COMPONENT_IMAGE_END, &elf);
	if (ee != ELF_OK) {
		printf("[core] init: %s\n", elf_error_name(ee));
		core_panic("init is not a loadable ELF image", ee);
	}
	if (ut_ram_free() < CORE_RAM_RESERVE + INIT_RAM_MIN)
		core_panic("too little RAM to start init: KiB free, core keeps 8 MiB of it, init needs 1 MiB",
			   (long)(ut_ram_free() / 1024));
	word_t ram = ut_ram_free() - CORE_RAM_RESERVE;
	word_t caps = ram / CORE_RAM_PER_CAP;
	if (caps > obj_capacity() - obj_count() - CORE_CAP_RESERVE)
		caps = obj_capacity() - obj_count() - CORE_CAP_RESERVE;
	ram -= obj_table_need(caps + CORE_CAP_RESERVE);
	st = pd_create(0, "init", ram, caps, PD_CNODE_BITS_DEFAULT, INIT_PRIORITY, &pd);
	if (st != RPC_OK)
		core_panic("creating init's PD", st);
	struct session *cs;
	st = session_new(sizeof(struct cpu_session), pd, 512 * 1024, 64, K_CPU, "init", &cs);
	if (st != RPC_OK)
		core_panic("creating init's CPU session", st);
	struct cpu_session *cpu = (struct cpu_session *)cs;
	cpu_session_setup(cpu, INIT_PRIORITY, 0, core_num_cpus);
	cs->via_parent = false;
	l.pd = pd;
	if (elf_load(mod->data, &elf, load_segment, &l) != 0)
		core_panic("loading init", 0);
	/* the parent interface, init's CPU session, its main thread */
	if (obj_register(&init_child.obj, K_CHILD) != RPC_OK ||
	    obj_cap(&init_child.obj, &core_acct, &cap) != RPC_OK ||
	    pd_cnode_copy(pd, COMPONENT_PARENT, cap, RIGHT_WRITE | RIGHT_GRANT | RIGHT_GRANT_REPLY) != E_OK)
		core_panic("init's parent capability", 0);
	init_child.pd = pd;
	init_child.cpu = cpu;
	if (obj_cap(&cs->obj, &cs->acct, &cap) != RPC_OK ||
	    pd_cnode_copy(pd, COMPONENT_CPU, cap, RIGHT_WRITE | RIGHT_GRANT | RIGHT_GRANT_REPLY) != E_OK)
		core_panic("init's CPU capability", 0);
	st = thread_create_core(cpu, pd, INIT_PRIORITY, 0, COMPONENT_MAIN_NTFN, &t);
	if (st != RPC_OK)
		core_panic("init's main thread", st);
	if (obj_cap(&t->obj, &cs->acct, &cap) != RPC_OK ||
	    pd_cnode_copy(pd, COMPONENT_INSTALL_FIRST, cap, RIGHT_WRITE | RIGHT_GRANT | RIGHT_GRANT_REPLY) != E_OK)
		core_panic("init's thread capability", 0);
	struct ds *stack = pd_ram(pd, COMPONENT_MAIN_STACK / PAGE);
	st = region_attach(pd, stack, t->window + BASE_STACK_SIZE - COMPONENT_MAIN_STACK,
			   COMPONENT_MAIN_STACK, 0, ATTACH_WRITE | ATTACH_FIXED, &addr);
	if (st != RPC_OK)
		core_panic("init's stack", st);
	struct component_info info;
	memset(&info, 0, sizeof(info));
	info.magic = COMPONENT_INFO_MAGIC;
	info.version = 1;
	info.cnode_bits = PD_CNODE_BITS_DEFAULT;
	info.first_free_slot = COMPONENT_FIRST_FREE;
	info.main_window = t->window;
	info.main_thread = COMPONENT_INSTALL_FIRST;
	info.priority = INIT_PRIORITY;
	info.priority_floor = 0;
	memcpy(info.label, "init", 5);
	struct ds *ip = pd_ram(pd, 1);
	fill(ip, 0, &info, sizeof(info));
	st = region_attach(pd, ip, 0, PAGE, 0, 0, &addr);
	if (st != RPC_OK)
		core_panic("init's info page", st);
	st = thread_start_core(t, elf.entry, t->window + BASE_STACK_SIZE, addr, 0);
	if (st != RPC_OK)
		core_panic("starting init", st);
	printf("[core] init started: %lu KiB RAM, %lu caps\n", pd->s.acct.ram_quota / 1024,
	       pd->s.acct.cap_quota);
}
