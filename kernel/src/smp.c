/*
 * The big kernel lock, and synchronous requests from the lock holder to
 * other CPUs (stall a thread, drop or flush an address space). A CPU handles
 * requests in its IPI handler and while it spins for the lock, without
 * taking the lock, touching only its own state.
 */
#include <types.h>
#include <smp.h>
#include <tcb.h>
#include <arch/cpu.h>
#include <arch/smp.h>

struct pcpu pcpus[ABI_MAX_CPUS];
unsigned num_cpus = 1;
volatile unsigned cpus_online;
volatile uint32_t bkl;

void kernel_lock_slow(void)
{
	struct pcpu *p = this_cpu();
	for (;;) {
		if (p->remote_req)
			remote_process(p);
		if (!__atomic_exchange_n(&bkl, 1, __ATOMIC_ACQUIRE))
			break;
		while (__atomic_load_n(&bkl, __ATOMIC_RELAXED)) {
			if (p->remote_req)
				remote_process(p);
			cpu_relax();
		}
	}
}


void remote_process(struct pcpu *p)
{
	uint32_t req = __atomic_exchange_n(&p->remote_req, 0, __ATOMIC_ACQ_REL);
	if (!req)
		return;
	if (req & REMOTE_STALL) {
		if (p->cur != p->idle) {
			/* a system call not yet begun is made again later */
			if (p->cur == p->entering_syscall)
				arch_ctx_restart_syscall(&p->cur->ctx);
			if (p->fpu_owner == p->cur)
				fpu_save(p->cur->fpu);
			p->fpu_owner = NULL;
			p->cur = p->idle;
		}
	}
	arch_remote_vspace(p, req);
	if (req & REMOTE_ACKED)
		__atomic_store_n(&p->remote_ack, 1, __ATOMIC_RELEASE);
}

void remote_request(unsigned cpu, uint32_t req, uint64_t vspace, bool wait)
{
	struct pcpu *q = &pcpus[cpu];
	if (!q->online)
		return;
	q->remote_ack = 0;
	q->remote_cr3 = vspace;
	__atomic_or_fetch(&q->remote_req, req, __ATOMIC_ACQ_REL);
	arch_send_ipi(q);
	if (wait)
		while (!__atomic_load_n(&q->remote_ack, __ATOMIC_ACQUIRE))
			cpu_relax();
}

void remote_resched(unsigned cpu)
{
	remote_request(cpu, REMOTE_RESCHED, 0, false);
}
