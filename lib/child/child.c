/*
 * Starting a child component (child.h). Trusts the parent and core;
 * the binary is checked by elf_parse before anything is loaded. On any
 * failure, what was made so far is released (closing the PD session
 * destroys everything that lives in the child's PD).
 */
#include <child.h>
#include <argil/cpu.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/rom.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <argil/thread.h>

#define PAGE 4096ul

struct load_ctx {
	cptr_t child_pd;
};

/* Make one segment in the child: RAM dataspace of the child, filled through
 * a temporary attachment in our own address space. */
static int load_segment(void *p, const struct elf_segment *seg, const void *src)
{
	struct load_ctx *ctx = p;
	word_t size = seg->pages * PAGE, addr, flags = ATTACH_FIXED;
	cptr_t ds;
	rpc_status_t st = pd_alloc_ram(ctx->child_pd, size, &ds);

	if (st != RPC_OK)
		return (int)st;
	st = pd_attach(COMPONENT_PD, ds, 0, 0, 0, ATTACH_WRITE, &addr);
	if (st == RPC_OK) {
		memcpy((char *)addr + seg->data_offset, src, seg->filesz);
		pd_detach(COMPONENT_PD, addr);
		if (seg->flags & ELF_SEG_W)
			flags |= ATTACH_WRITE;
		if (seg->flags & ELF_SEG_X)
			flags |= ATTACH_EXEC;
		st = pd_attach(ctx->child_pd, ds, seg->page_vaddr, size, 0, flags, 0);
	}
	if (st != RPC_OK)
		pd_free_ram(ctx->child_pd, ds);
	cap_slot_free(ds);  /* the dataspace lives on in the child's PD */
	return (int)st;
}

/* A RAM dataspace of the child attached at addr (FIXED) or anywhere. */
static rpc_status_t child_ram(struct child *c, word_t size, word_t addr, word_t flags,
			      const void *content, word_t len, word_t *out)
{
	cptr_t ds;
	word_t local;
	rpc_status_t st = pd_alloc_ram(c->pd, size, &ds);

	if (st != RPC_OK)
		return st;
	if (content) {
		st = pd_attach(COMPONENT_PD, ds, 0, 0, 0, ATTACH_WRITE, &local);
		if (st == RPC_OK) {
			memcpy((void *)local, content, len);
			pd_detach(COMPONENT_PD, local);
		}
	}
	if (st == RPC_OK)
		st = pd_attach(c->pd, ds, addr, size, 0, flags, out);
	if (st != RPC_OK)
		pd_free_ram(c->pd, ds);
	cap_slot_free(ds);
	return st;
}

static rpc_status_t load_binary(cptr_t parent, const struct child_spec *spec, struct child *c)
{
	cptr_t rom = 0, ds = 0;
	word_t rom_id = 0, size = 0, addr = 0;
	struct elf_image elf;
	struct load_ctx ctx = { c->pd };
	rpc_status_t st;

	st = parent_session(parent, "ROM", spec->binary, "", ROM_SESSION_RAM, ROM_SESSION_CAPS, c->pd,
			    &rom, &rom_id);
	if (st != RPC_OK)
		return st;
	st = rom_dataspace(rom, &ds, &size);
	if (st == RPC_OK)
		st = pd_attach(COMPONENT_PD, ds, 0, 0, 0, 0, &addr);
	if (st == RPC_OK) {
		c->elf_error = elf_parse((const void *)addr, size, COMPONENT_IMAGE_MIN,
					 COMPONENT_IMAGE_END, &elf);
		if (c->elf_error != ELF_OK)
			st = RPC_E_INVALID_ARGUMENT;
		else
			st = (rpc_status_t)elf_load((const void *)addr, &elf, load_segment, &ctx);
		c->entry = elf.entry;
		pd_detach(COMPONENT_PD, addr);
	}
	if (ds)
		cap_slot_free(ds);
	parent_close(parent, rom_id);
	cap_slot_free(rom);
	return st;
}

rpc_status_t child_start(cptr_t parent, const struct child_spec *spec, struct child *c)
{
	char args[96];
	word_t prio = spec->priority, bits = spec->cnode_bits ? spec->cnode_bits : 12, ipc;
	struct component_info *info = 0;
	rpc_status_t st;

	memset(c, 0, sizeof(*c));
	size_t n = strlen(spec->name);
	if (n >= sizeof(c->name))
		return RPC_E_INVALID_ARGUMENT;
	memcpy(c->name, spec->name, n + 1);

	c->step = CHILD_STEP_PD;
	snprintf(args, sizeof(args), "cnode_bits=%lu, priority=%lu", bits, prio);
	st = parent_session(parent, "PD", spec->name, args, spec->ram, spec->caps, 0, &c->pd, &c->pd_id);
	if (st != RPC_OK)
		return st;
	c->step = CHILD_STEP_CPU;
	snprintf(args, sizeof(args), "priority=%lu", prio);
	st = parent_session(parent, "CPU", spec->name, args,
			    spec->cpu_ram ? spec->cpu_ram : CHILD_CPU_SESSION_RAM,
			    spec->cpu_caps ? spec->cpu_caps : CHILD_CPU_SESSION_CAPS, c->pd, &c->cpu,
			    &c->cpu_id);
	if (st == RPC_OK) {
		c->step = CHILD_STEP_BINARY;
		st = load_binary(parent, spec, c);
	}
	if (st == RPC_OK) {
		c->step = CHILD_STEP_SETUP;
		st = pd_install(c->pd, COMPONENT_PARENT, spec->parent_cap);
	}
	if (st == RPC_OK)
		st = pd_install(c->pd, COMPONENT_CPU, c->cpu);
	if (st == RPC_OK)
		st = cpu_create_thread(c->cpu, c->pd, prio, 0, COMPONENT_MAIN_NTFN, &c->thread,
				       &c->window, &ipc);
	if (st == RPC_OK)
		st = pd_install(c->pd, COMPONENT_INSTALL_FIRST, c->thread);
	if (st == RPC_OK)
		st = child_ram(c, COMPONENT_MAIN_STACK, c->window + BASE_STACK_SIZE - COMPONENT_MAIN_STACK,
			       ATTACH_WRITE | ATTACH_FIXED, 0, 0, 0);
	if (st == RPC_OK) {
		info = malloc(sizeof(*info));
		if (!info)
			st = RPC_E_OUT_OF_MEMORY;
	}
	if (st == RPC_OK) {
		memset(info, 0, sizeof(*info));
		info->magic = COMPONENT_INFO_MAGIC;
		info->version = 1;
		info->cnode_bits = bits;
		info->first_free_slot = COMPONENT_FIRST_FREE;
		info->main_window = c->window;
		info->main_thread = COMPONENT_INSTALL_FIRST;
		info->priority = prio;
		info->priority_floor = spec->priority_floor <= prio ? spec->priority_floor : prio;
		memcpy(info->label, c->name, strlen(c->name) + 1);
		if (spec->args) {
			n = strlen(spec->args);
			if (n >= sizeof(info->args))
				n = sizeof(info->args) - 1;
			memcpy(info->args, spec->args, n);
		}
		st = child_ram(c, PAGE, 0, 0, info, sizeof(*info), &c->info_addr);
		free(info);
	}
	if (st == RPC_OK)
		st = thread_start_rpc(c->thread, c->entry, c->window + BASE_STACK_SIZE, c->info_addr, 0);
	if (st != RPC_OK) {
		child_destroy(parent, c);
		return st;
	}
	c->started = 1;
	return RPC_OK;
}

/* Close the session id at the parent if *cap holds one and free its slot;
 * a failure of the close goes into *st. */
static void close_session(cptr_t parent, cptr_t *cap, word_t id, rpc_status_t *st)
{
	rpc_status_t r;

	if (!*cap)
		return;
	r = parent_close(parent, id);
	if (r != RPC_OK)
		*st = r;
	cap_slot_free(*cap);
	*cap = 0;
}

rpc_status_t child_destroy(cptr_t parent, struct child *c)
{
	rpc_status_t st = RPC_OK;

	if (c->thread) {
		cap_slot_free(c->thread);
		c->thread = 0;
	}
	close_session(parent, &c->cpu, c->cpu_id, &st);
	close_session(parent, &c->pd, c->pd_id, &st);
	c->started = 0;
	return st;
}
