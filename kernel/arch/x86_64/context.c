/*
 * User register contexts: a new thread's selectors and flags, and the
 * registers of TCB_READ/WRITE_REGISTERS in enum tcb_reg order. Trusts
 * its callers to have checked values with arch_regs_valid first.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/context.h>

void arch_ctx_init(struct user_context *c)
{
	c->cs = GDT_UCODE;
	c->ss = GDT_UDATA;
	c->rflags = RFLAGS_IF | 2;
}

bool arch_regs_valid(const uint64_t *r, unsigned n)
{
	if (n > REG_RIP && r[REG_RIP] >= ABI_USER_TOP)
		return false;
	if (n > REG_RSP && r[REG_RSP] > ABI_USER_TOP)
		return false;
	if (n > REG_FS_BASE && r[REG_FS_BASE] >= ABI_USER_TOP)
		return false;
	if (n > REG_GS_BASE && r[REG_GS_BASE] >= ABI_USER_TOP)
		return false;
	return true;
}

static uint64_t *reg_ptr(struct user_context *c, struct arch_thread *a, unsigned r)
{
	switch (r) {
	case REG_RIP: return &c->rip;
	case REG_RSP: return &c->rsp;
	case REG_RFLAGS: return &c->rflags;
	case REG_RAX: return &c->rax;
	case REG_RBX: return &c->rbx;
	case REG_RCX: return &c->rcx;
	case REG_RDX: return &c->rdx;
	case REG_RSI: return &c->rsi;
	case REG_RDI: return &c->rdi;
	case REG_RBP: return &c->rbp;
	case REG_R8: return &c->r8;
	case REG_R9: return &c->r9;
	case REG_R10: return &c->r10;
	case REG_R11: return &c->r11;
	case REG_R12: return &c->r12;
	case REG_R13: return &c->r13;
	case REG_R14: return &c->r14;
	case REG_R15: return &c->r15;
	case REG_FS_BASE: return &a->fs_base;
	default: return &a->gs_base;
	}
}

uint64_t arch_reg_read(const struct user_context *c, const struct arch_thread *a, unsigned r)
{
	return *reg_ptr((struct user_context *)c, (struct arch_thread *)a, r);
}

void arch_reg_write(struct user_context *c, struct arch_thread *a, unsigned r, uint64_t v)
{
	if (r == REG_RFLAGS)
		v = (v & RFLAGS_USER_MASK) | RFLAGS_IF | 2;
	*reg_ptr(c, a, r) = v;
}
