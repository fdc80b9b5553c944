/* Notifications: a word of badge bits plus a queue of waiters. */
#ifndef NOTIFICATION_H
#define NOTIFICATION_H

#include <tcb.h>

enum ntfn_state { NTFN_IDLE, NTFN_WAITING, NTFN_ACTIVE };

struct notification {
	struct tcb_queue q;
	uint64_t word;
	uint32_t state;
	uint32_t pad;
	struct tcb *bound;
};
_Static_assert(sizeof(struct notification) <= (1u << OBJ_NOTIFICATION_BITS), "ntfn size");

void ntfn_signal(struct notification *n, uint64_t badge);
void ntfn_wait(struct notification *n, struct tcb *t, bool blocking);
void ntfn_finalise(struct notification *n);
void ntfn_remove(struct notification *n, struct tcb *t);
void ntfn_bind(struct notification *n, struct tcb *t);
void ntfn_unbind(struct tcb *t);

#endif
