/*
 * The scheduler: per-CPU run queues with 256 priorities (a bitmap finds the
 * highest), round robin within a priority by time slices. The running thread
 * is not in its queue. Leaving the kernel always goes through
 * schedule_and_exit, which picks the thread to run and restores it.
 */
#include <types.h>
#include <kprintf.h>
#include <tcb.h>
#include <sched.h>
#include <smp.h>
#include <vspace.h>
#include <arch/pcpu.h>
#include <arch/cpu.h>
#include <arch/mm.h>

/* The highest priority with a thread queued, or 0. */
static unsigned bitmap_highest(const struct runqueue *q)
{
	if (!q->words)
		return 0;
	unsigned w = 63 - (unsigned)__builtin_clzll(q->words);
	return w * 64 + 63 - (unsigned)__builtin_clzll(q->bitmap[w]);
}

static inline bool is_current(struct tcb *t)
{
	return pcpus[t->cpu].cur == t;
}

void sched_enqueue(struct tcb *t)
{
	struct runqueue *q = cpu_rq(t->cpu);
	unsigned p = t->prio;
	t->sched_next = NULL;
	t->sched_prev = q->tail[p];
	if (q->tail[p])
		q->tail[p]->sched_next = t;
	else
		q->head[p] = t;
	q->tail[p] = t;
	q->bitmap[p >> 6] |= 1ull << (p & 63);
	q->words |= 1ull << (p >> 6);
	if (p > q->top)
		q->top = p;
	t->queued = true;
	if (t->cpu != this_cpu()->index) {
		struct pcpu *c = &pcpus[t->cpu];
		if (c->cur == c->idle || c->cur->prio < t->prio)
			remote_resched(t->cpu);
	}
}

void sched_enqueue_front(struct tcb *t)
{
	struct runqueue *q = cpu_rq(t->cpu);
	unsigned p = t->prio;
	t->sched_prev = NULL;
	t->sched_next = q->head[p];
	if (q->head[p])
		q->head[p]->sched_prev = t;
	else
		q->tail[p] = t;
	q->head[p] = t;
	q->bitmap[p >> 6] |= 1ull << (p & 63);
	q->words |= 1ull << (p >> 6);
	if (p > q->top)
		q->top = p;
	t->queued = true;
}

void sched_dequeue(struct tcb *t)
{
	struct runqueue *q = cpu_rq(t->cpu);
	unsigned p = t->prio;
	if (t->sched_prev)
		t->sched_prev->sched_next = t->sched_next;
	else
		q->head[p] = t->sched_next;
	if (t->sched_next)
		t->sched_next->sched_prev = t->sched_prev;
	else
		q->tail[p] = t->sched_prev;
	if (!q->head[p]) {
		q->bitmap[p >> 6] &= ~(1ull << (p & 63));
		if (!q->bitmap[p >> 6])
			q->words &= ~(1ull << (p >> 6));
		if (p == q->top)
			q->top = bitmap_highest(q);
	}
	t->sched_next = t->sched_prev = NULL;
	t->queued = false;
}

unsigned sched_highest_prio(unsigned cpu, bool *any)
{
	struct runqueue *q = cpu_rq(cpu);
	*any = q->words != 0;
	return q->top;
}

void sched_make_runnable(struct tcb *t)
{
	t->state = TS_RUNNING;
	t->blocked_on = NULL;
	if (!t->queued && !is_current(t))
		sched_enqueue(t);
}

void sched_need_resched(void)
{
	this_cpu()->rq.resched = true;
}

void sched_yield(void)
{
	struct pcpu *p = this_cpu();
	if (p->cur != p->idle)
		p->cur->slice = TIME_SLICE_TICKS;
	p->rq.resched = true;
}

void sched_tick(void)
{
	struct pcpu *p = this_cpu();
	p->ticks++;
	struct tcb *c = p->cur;
	if (c == p->idle)
		return;
	if (c->slice > 1) {
		c->slice--;
		return;
	}
	c->slice = TIME_SLICE_TICKS;
	p->rq.resched = true;
}

/* Choose what this CPU runs next and leave the kernel (lock held). */
void schedule_and_exit(void)
{
	struct pcpu *p = this_cpu();
	struct runqueue *q = &p->rq;
	struct tcb *cur = p->cur, *next = cur;
	bool any;
	unsigned best = sched_highest_prio(p->index, &any);
	bool cur_ok = cur != p->idle && cur->state == TS_RUNNING && cur->cpu == p->index;

	if (!cur_ok) {
		next = any ? q->head[best] : p->idle;
	} else if (any && (best > cur->prio || (q->resched && best == cur->prio))) {
		next = q->head[best];
		if (best > cur->prio && !q->resched)
			sched_enqueue_front(cur);
		else
			sched_enqueue(cur);
	}
	q->resched = false;
	if (next != cur) {
		if (next != p->idle)
			sched_dequeue(next);
		if (p->fpu_owner && p->fpu_owner == cur) {
			fpu_save(cur->fpu);
			p->fpu_owner = NULL;
		}
		p->cur = next;
	}
	exit_to(p, next);
}

void idle_loop(void)
{
	struct pcpu *p = this_cpu();

	for (;;) {
		halt_begin(p);   /* accounted until the next interrupt entry (trap.c) */
		sti();
		halt();
		cli();
		halt_end(p);
	}
}
