/*
 * Runtime start-up, the stack pool, thread creation and clone VSpaces
 * (argil/thread.h, argil/env.h).
 */
#include <argil/env.h>
#include <argil/kernel.h>
#include <argil/string.h>
#include <arch/syscall.h>

#define PAGE 4096ul

extern char __image_start[], __image_end[], __stacks_start[], __stacks_end[];

void __base_init(struct bootinfo *bi);

/* Called by _start on stack 0, before main. */
void __base_init(struct bootinfo *bi)
{
	struct thread_info *ti = thread_self();

	memset(ti, 0, sizeof(*ti));
	ti->magic = THREAD_INFO_MAGIC;
	ti->ipc = (struct ipc_buffer *)(bi && bi->ipc_buffer ? bi->ipc_buffer : ROOT_IPC_BUFFER_VADDR);
	ti->tcb = INIT_TCB;
}

void __base_thread_exit(word_t value)
{
	struct thread_info *ti = thread_self();

	ti->exit_value = value;
	ti->exited = 1;
	if (ti->exit_ntfn)
		sys_signal(ti->exit_ntfn);
	if (ti->tcb)
		tcb_suspend(ti->tcb);
	for (;;)
		sys_yield();
}

static void info_init(struct thread_info *ti, word_t ipc_vaddr, cptr_t self)
{
	memset(ti, 0, sizeof(*ti));
	ti->magic = THREAD_INFO_MAGIC;
	ti->ipc = (struct ipc_buffer *)ipc_vaddr;
	ti->tcb = self;
}

abi_error_t thread_create(struct env *e, struct thread *t, cptr_t fault_ep)
{
	cptr_t tcb;
	abi_error_t err = env_new(e, OBJ_TCB, 0, &tcb);

	if (err != E_OK)
		return err;
	return thread_create_tcb(e, t, tcb, fault_ep);
}

abi_error_t thread_create_tcb(struct env *e, struct thread *t, cptr_t tcb, cptr_t fault_ep)
{
	int idx = -1;

	memset(t, 0, sizeof(*t));
	for (int i = 1; i < BASE_STACK_POOL; i++) {
		if (!(e->stacks_used & (1ul << i))) {
			idx = i;
			break;
		}
	}
	if (idx < 0)
		return E_NOT_ENOUGH_MEMORY;
	t->tcb = tcb;
	t->ipc = env_page(e, &t->ipc_frame);
	if (!t->ipc)
		return E_NOT_ENOUGH_MEMORY;
	e->stacks_used |= 1ul << idx;
	t->stack_index = idx;
	t->info = (struct thread_info *)base_stacks[idx];
	t->ipc_vaddr = (word_t)t->ipc;
	t->stack_top = (word_t)base_stacks[idx] + BASE_STACK_SIZE;
	info_init(t->info, t->ipc_vaddr, t->tcb);
	return tcb_configure(t->tcb, fault_ep, INIT_CNODE, 0, INIT_VSPACE, t->ipc_vaddr, t->ipc_frame);
}

/* A new frame mapped at vaddr in vs; if info is set, written to its start. */
static abi_error_t map_new_frame(struct env *e, struct vspace *vs, word_t vaddr,
				 const struct thread_info *info)
{
	cptr_t f;
	abi_error_t err = env_new(e, OBJ_FRAME_4K, 0, &f);

	if (err == E_OK)
		err = env_fill_frame(e, f, 0, info, info ? sizeof(*info) : 0);
	if (err == E_OK)
		err = frame_map(f, vs->pml4, vaddr, RIGHT_READ | RIGHT_WRITE, 0);
	return err;
}

abi_error_t thread_create_in(struct env *e, struct thread *t, struct vspace *vs, cptr_t cspace,
			     word_t cspace_guard, cptr_t fault_ep, cptr_t self)
{
	struct thread_info info;
	abi_error_t err;

	memset(t, 0, sizeof(*t));
	if (vs->threads >= REMOTE_MAX_THREADS)
		return E_NOT_ENOUGH_MEMORY;
	word_t base = REMOTE_REGION + (word_t)vs->threads++ * REMOTE_THREAD_STRIDE;
	t->ipc_vaddr = base + BASE_STACK_SIZE;
	t->stack_top = base + BASE_STACK_SIZE;
	t->stack_index = -1;
	err = env_new(e, OBJ_TCB, 0, &t->tcb);
	if (err != E_OK)
		goto out;
	info_init(&info, t->ipc_vaddr, self == THREAD_SELF ? t->tcb : self);
	err = map_new_frame(e, vs, base, &info);
	for (word_t p = BASE_STACK_SIZE / PAGE - REMOTE_STACK_PAGES; p < BASE_STACK_SIZE / PAGE && err == E_OK; p++)
		err = map_new_frame(e, vs, base + p * PAGE, 0);
	if (err != E_OK)
		goto out;
	err = env_new(e, OBJ_FRAME_4K, 0, &t->ipc_frame);
	if (err == E_OK)
		err = frame_map(t->ipc_frame, vs->pml4, t->ipc_vaddr, RIGHT_READ | RIGHT_WRITE, 0);
	if (err == E_OK)
		err = tcb_configure(t->tcb, fault_ep, cspace, cspace_guard, vs->pml4, t->ipc_vaddr,
				    t->ipc_frame);
out:
	return err;
}

abi_error_t thread_prepare(struct thread *t, void *fn, word_t a0, word_t a1)
{
	word_t regs[REG_COUNT];

	memset(regs, 0, sizeof(regs));
	regs[REG_RIP] = (word_t)__base_thread_start;
	regs[REG_RSP] = t->stack_top;
	regs[REG_RFLAGS] = 0x202;
	regs[REG_RDI] = (word_t)fn;
	regs[REG_RSI] = a0;
	regs[REG_RDX] = a1;
	return tcb_write_registers(t->tcb, 0, REG_COUNT, regs);
}

abi_error_t thread_start(struct thread *t, void *fn, word_t a0, word_t a1, word_t prio, word_t cpu)
{
	abi_error_t err = thread_prepare(t, fn, a0, a1);

	if (err == E_OK)
		err = tcb_set_priority(t->tcb, INIT_TCB, prio);
	if (err == E_OK && cpu)
		err = tcb_set_affinity(t->tcb, cpu);
	if (err == E_OK)
		err = tcb_resume(t->tcb);
	return err;
}

abi_error_t vspace_clone(struct env *e, struct vspace *vs)
{
	word_t start = (word_t)__image_start, end = (word_t)__image_end;
	abi_error_t err;

	memset(vs, 0, sizeof(*vs));
	if ((start >> 21) != ((end - 1) >> 21) || (REMOTE_REGION >> 21) == (start >> 21))
		return E_RANGE;  /* the image must fit the one page table */
	err = env_new(e, OBJ_PML4, 0, &vs->pml4);
	if (err == E_OK)
		err = env_new(e, OBJ_PDPT, 0, &vs->pdpt);
	if (err == E_OK)
		err = env_new(e, OBJ_PD, 0, &vs->pd);
	if (err == E_OK)
		err = env_new(e, OBJ_PT, 0, &vs->pt_image);
	if (err == E_OK)
		err = env_new(e, OBJ_PT, 0, &vs->pt_remote);
	if (err == E_OK)
		err = pdpt_map(vs->pdpt, vs->pml4, 0);
	if (err == E_OK)
		err = pd_map(vs->pd, vs->pml4, 0);
	if (err == E_OK)
		err = pt_map(vs->pt_image, vs->pml4, start);
	if (err == E_OK)
		err = pt_map(vs->pt_remote, vs->pml4, REMOTE_REGION);
	for (word_t va = start; va < end && err == E_OK; va += PAGE) {
		cptr_t f;
		if (va >= (word_t)__stacks_start && va < (word_t)__stacks_end)
			continue;
		err = env_new(e, OBJ_FRAME_4K, 0, &f);
		if (err == E_OK)
			err = env_fill_frame(e, f, 0, (const void *)va, PAGE);
		if (err == E_OK)
			err = frame_map(f, vs->pml4, va, RIGHT_READ | RIGHT_WRITE, MAP_EXECUTE);
	}
	return err;
}

void *vspace_share(struct env *e, struct vspace *vs, word_t *remote_vaddr)
{
	cptr_t f, copy;
	void *p = env_page(e, &f);
	word_t va = REMOTE_SHARED + vs->next_shared * PAGE;

	if (!p || va >= REMOTE_REGION + (1ul << 21))
		return 0;
	copy = env_slot(e);
	if (!copy || cnode_copy(INIT_CNODE, copy, 64, INIT_CNODE, f, 64, RIGHTS_ALL) != E_OK)
		return 0;
	if (frame_map(copy, vs->pml4, va, RIGHT_READ | RIGHT_WRITE, 0) != E_OK)
		return 0;
	vs->next_shared++;
	*remote_vaddr = va;
	return p;
}
