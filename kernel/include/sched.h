/* Per-CPU priority scheduler: 256 levels, round robin within a level. */
#ifndef SCHED_H
#define SCHED_H

#include <tcb.h>

#define TIME_SLICE_TICKS 5
#define TICK_US 1000

struct runqueue {
	uint64_t bitmap[4];
	uint64_t words;   /* bit i: bitmap[i] is not empty */
	struct tcb *head[256], *tail[256];
	bool resched;     /* the current thread's slice ended or it yielded */
};
extern struct runqueue rq[ABI_MAX_CPUS];

/* Is anything queued on cpu with a priority above prio? */
static inline bool sched_queue_outranks(const struct runqueue *q, unsigned prio)
{
	unsigned w = prio >> 6;
	return (q->bitmap[w] & ~((2ull << (prio & 63)) - 1)) | (q->words >> (w + 1));
}

void sched_enqueue(struct tcb *t);        /* append */
void sched_enqueue_front(struct tcb *t);  /* prepend (preempted) */
void sched_dequeue(struct tcb *t);
void sched_make_runnable(struct tcb *t);  /* state RUNNING and enqueued (or IPI) */
void sched_block(struct tcb *t, unsigned state);
void sched_switch_to(struct tcb *t);      /* current thread hands over directly */
void sched_tick(void);
void sched_yield(void);
void sched_need_resched(void);
unsigned sched_highest_prio(unsigned cpu, bool *any);
void schedule_and_exit(void) __attribute__((noreturn));  /* leave the kernel */
void idle_loop(void) __attribute__((noreturn));
struct pcpu;
void sched_switch_direct(struct pcpu *p, struct tcb *from, struct tcb *to) __attribute__((noreturn));


#endif
