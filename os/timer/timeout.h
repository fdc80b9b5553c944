/*
 * The timer service's queue of timeouts: any number of one-shot and
 * periodic timeouts on a microsecond clock, the earliest found in O(1),
 * insertion in O(1), expiry and cancellation in O(log n) amortised.
 *
 * A pairing heap whose nodes live in the clients' sessions (no allocation
 * here). Equal deadlines expire in the order they were armed. Time never
 * wraps: deadlines saturate at UINT64_MAX.
 */
#ifndef OS_TIMER_TIMEOUT_H
#define OS_TIMER_TIMEOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct timeout {
	uint64_t deadline;          /* absolute, microseconds */
	uint64_t period;            /* 0: one-shot */
	uint64_t seq;               /* arming order, breaks ties */
	uint64_t overruns;          /* periods skipped because expiry came late */
	struct timeout *child;      /* first child in the heap */
	struct timeout *sibling;    /* next sibling */
	struct timeout *prev;       /* previous sibling, or the parent for a first child */
	bool armed;
};

struct timeout_queue {
	struct timeout *root;
	uint64_t seq;
	unsigned count;
};

void tq_init(struct timeout_queue *q);

/* Arm t to expire 'duration' us after 'now' (re-arms it if armed). With
 * 'periodic' it expires every 'duration' us after that; a periodic
 * duration of 0 is taken as 1 us. */
void tq_schedule(struct timeout_queue *q, struct timeout *t, uint64_t now, uint64_t duration, bool periodic);

/* Disarm t; nothing happens if it is not armed. */
void tq_cancel(struct timeout_queue *q, struct timeout *t);

/* The earliest deadline, if any timeout is armed. */
bool tq_next(const struct timeout_queue *q, uint64_t *deadline);

/* One timeout whose deadline is <= now, or NULL. A one-shot timeout is
 * disarmed; a periodic one is re-armed at its next deadline after 'now'
 * (overruns counts the periods that passed unseen). Call until NULL. */
struct timeout *tq_expire(struct timeout_queue *q, uint64_t now);

#endif
