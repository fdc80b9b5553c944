/* A CPU's run queue: 256 priorities, a FIFO per priority, a bitmap to find
 * the highest. It lives in the CPU's struct pcpu; sched.c works on it. */
#ifndef RUNQUEUE_H
#define RUNQUEUE_H

#include <stdint.h>
#include <stdbool.h>

struct tcb;

struct runqueue {
	uint64_t bitmap[4];
	uint64_t words;   /* bit i: bitmap[i] is not empty */
	unsigned top;     /* the highest queued priority; 0 when nothing is queued */
	bool resched;     /* the current thread's slice ended or it yielded */
	struct tcb *head[256], *tail[256];
};

/* Is anything queued here with a priority above prio? (An empty queue
 * and one holding only priority 0 look alike: neither outranks anything.) */
#define RUNQUEUE_OUTRANKS(q, prio) ((q).top > (prio))

#endif
