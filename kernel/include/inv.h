/*
 * An invocation being decoded: the invoked cap, its message words and
 * extra caps, and the reply being built. Decoders check everything first
 * and return an error without side effects; only then do they act.
 */
#ifndef INV_H
#define INV_H

#include <tcb.h>

struct inv {
	struct tcb *t;           /* the invoking thread */
	struct cte *slot;        /* invoked cap's slot */
	struct cap *cap;
	uint64_t label;
	unsigned len;            /* argument words */
	unsigned ncaps;
	struct cte *caps[ABI_MSG_EXTRA_CAPS];  /* looked-up extra caps (may be NULL) */
	struct ipc_buffer *buf;
	uint64_t rlen;           /* reply words */
	uint64_t detail[2];      /* error details */
	bool no_reply;           /* the invocation blocked or switched threads */
};

uint64_t inv_arg(struct inv *iv, unsigned i);
void inv_set_result(struct inv *iv, unsigned i, uint64_t v);
abi_error_t inv_err(struct inv *iv, abi_error_t e, uint64_t d0, uint64_t d1);
/* The empty slot at (extra cap n as root, index, depth) for a new cap:
 * E_TRUNCATED_MESSAGE without cap n, E_FAILED_LOOKUP, or E_DELETE_FIRST. */
abi_error_t inv_empty_slot(struct inv *iv, unsigned n, uint64_t index, uint64_t depth, struct cte **out);

abi_error_t decode_untyped(struct inv *iv);
abi_error_t decode_cnode(struct inv *iv);
abi_error_t decode_tcb(struct inv *iv);

#endif
