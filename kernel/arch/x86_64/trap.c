/*
 * Interrupts and exceptions. From user mode: the registers are already in
 * the current thread's TCB; exceptions become fault messages, device
 * interrupts signal notifications, the timer drives preemption. From kernel
 * mode only the idle loop can be interrupted; anything else is a kernel bug
 * and panics with registers and a backtrace.
 */
#include <types.h>
#include <kprintf.h>
#include <tcb.h>
#include <sched.h>
#include <endpoint.h>
#include <irq.h>
#include <smp.h>
#include <arch/cpu.h>
#include <arch/pcpu.h>
#include <arch/apic.h>

static void dispatch_irq(uint64_t vector)
{
	if (vector == VEC_TIMER) {
		lapic_eoi();
		sched_tick();
	} else if (vector == VEC_IPI) {
		lapic_eoi();
	} else if (vector >= IRQ_VECTOR_BASE && vector < IRQ_VECTOR_BASE + IRQ_COUNT) {
		irq_deliver((unsigned)(vector - IRQ_VECTOR_BASE));
		lapic_eoi();
	} else if (vector == VEC_SPURIOUS) {
		/* no EOI for spurious interrupts */
	} else if (vector >= 32) {
		lapic_eoi();
	}
}

void c_handle_interrupt(void)
{
	struct pcpu *p = this_cpu();
	struct tcb *t = p->cur;
	/* read what we need from the TCB before a stall can take it away */
	uint64_t vector = t->ctx.vector, error = t->ctx.error;
	uint64_t cr2 = vector == 14 ? read_cr2() : 0;
	t->fast_exit_ok = false;
	kernel_lock();
	t = p->cur;
	if (vector < 32) {
		if (t != p->idle) {
			if (vector == 14) {
				t->fault_label = FAULT_PAGE;
				t->fault_word[0] = t->ctx.rip;
				t->fault_word[1] = cr2;
				t->fault_word[2] = error;
				t->fault_word[3] = 0;
				t->fault_len = 3;
			} else {
				t->fault_label = FAULT_EXCEPTION;
				t->fault_word[0] = t->ctx.rip;
				t->fault_word[1] = vector;
				t->fault_word[2] = error;
				t->fault_word[3] = t->ctx.rsp;
				t->fault_len = 4;
			}
			ipc_send_fault(t);
		}
	} else {
		dispatch_irq(vector);
	}
	schedule_and_exit();
}

static void backtrace(uint64_t rbp)
{
	kprintf("backtrace:\n");
	for (int i = 0; i < 16 && rbp >= 0xffff800000000000ull && (rbp & 7) == 0; i++) {
		uint64_t *f = (uint64_t *)rbp;
		kprintf("  %016lx\n", f[1]);
		rbp = f[0];
	}
}

void c_handle_kernel_interrupt(struct user_context *f)
{
	if (f->vector < 32) {
		kprintf("\nKERNEL PANIC: exception %lu error %lx at rip %016lx cr2 %016lx\n",
			f->vector, f->error, f->rip, read_cr2());
		kprintf("rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
		kprintf("rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", f->rsi, f->rdi, f->rbp, f->rsp);
		kprintf("r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", f->r8, f->r9, f->r10, f->r11);
		kprintf("r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", f->r12, f->r13, f->r14, f->r15);
		backtrace(f->rbp);
		machine_halt(3);
	}
	/* only the idle loop runs with interrupts enabled */
	struct pcpu *p = this_cpu();
	halt_end(p);
	if (!kernel_trylock()) {
		/* An idle CPU's tick has nothing to do that needs the lock,
		 * and whoever holds it and queues a thread here also sends a
		 * RESCHED IPI, which waits for the lock below: do not spin
		 * for it against its holder. */
		if (f->vector == VEC_TIMER) {
			dispatch_irq(f->vector);
			return;
		}
		kernel_lock_slow();
	}
	dispatch_irq(f->vector);
	bool any;
	sched_highest_prio(p->index, &any);
	if (any)
		schedule_and_exit();
	kernel_unlock();
}

void panic(const char *fmt, ...)
{
	va_list ap;
	cli();
	kprintf("\nKERNEL PANIC: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	backtrace((uint64_t)__builtin_frame_address(0));
	machine_halt(3);
}
