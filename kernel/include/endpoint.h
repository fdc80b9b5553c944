/* Endpoints: synchronous IPC rendezvous with FIFO queues of senders or receivers. */
#ifndef ENDPOINT_H
#define ENDPOINT_H

#include <tcb.h>

enum ep_state { EP_IDLE, EP_SEND, EP_RECV };

struct endpoint {
	struct tcb_queue q;
	uint64_t state;
};
_Static_assert(sizeof(struct endpoint) <= (1u << OBJ_ENDPOINT_BITS), "endpoint size");

void ep_send(struct endpoint *ep, struct tcb *sender, const struct cap *epcap, bool blocking, bool call);
void ep_recv(struct endpoint *ep, struct tcb *recv, const struct cap *epcap, bool blocking);
void ep_finalise(struct endpoint *ep);
void ep_cancel_badged(struct endpoint *ep, uint64_t badge);
void ep_remove(struct endpoint *ep, struct tcb *t);
void ipc_do_reply(struct tcb *replier, struct tcb *caller, uint64_t info);
void ipc_send_fault(struct tcb *t);

#endif
