/*
 * An invocation being decoded: the invoked cap, its message words and
 * extra caps, and the reply being built. Each invocation has a decode_*
 * function that checks every argument and capability, changes nothing,
 * and on failure returns an error (details via inv_err); and an invoke_*
 * function that acts and cannot fail. The arguments come by name from the
 * description in argil/invocations.h: struct <stub>_args, filled by
 * inv_get_<stub>; result words go back through inv_reply_<stub>.
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

/* Argument word i (registers, then the IPC buffer; 0 beyond the message). */
uint64_t inv_arg(struct inv *iv, unsigned i);
void inv_set_result(struct inv *iv, unsigned i, uint64_t v);
/* Fail with error e and its detail words (the reply's mr0 and mr1). */
static inline abi_error_t inv_err(struct inv *iv, abi_error_t e, uint64_t d0, uint64_t d1)
{
	iv->detail[0] = d0;
	iv->detail[1] = d1;
	return e;
}
/* E_TRUNCATED_MESSAGE unless the message has n argument words. */
static inline abi_error_t inv_need_words(struct inv *iv, unsigned n)
{
	return iv->len < n ? inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0) : E_OK;
}
/* The empty slot at (root, index, depth) for a new cap: E_TRUNCATED_MESSAGE
 * without a root (a missing extra cap), E_FAILED_LOOKUP, or E_DELETE_FIRST. */
abi_error_t inv_empty_slot(struct inv *iv, struct cte *root, uint64_t index, uint64_t depth, struct cte **out);

/* ---- named arguments, from argil/invocations.h ---------------------------
 * struct <stub>_args: a uint64_t per argument word, the struct cte * of
 * each extra cap (NULL if not sent or not found), for an array of words
 * the index of its first word (<name>_at). inv_get_<stub> checks that the
 * fixed words are there (E_TRUNCATED_MESSAGE) and fills it; whether the
 * caps are there is the decoder's to check, in its own order. */
#define KARG_FIELD(kind, ...) KARG_FIELD_##kind(__VA_ARGS__)
#define KARG_FIELD_W(n) uint64_t n;
#define KARG_FIELD_C(n) struct cte *n;
#define KARG_FIELD_CO(n) struct cte *n;
#define KARG_FIELD_WA(n, count, max) unsigned n##_at;
#define KARG_FIELD_R(n)
#define KARG_FIELD_RA(n, count, max)
#define KARG_WORDS(kind, ...) KARG_WORDS_##kind
#define KARG_WORDS_W + 1
#define KARG_WORDS_C
#define KARG_WORDS_CO
#define KARG_WORDS_WA
#define KARG_WORDS_R
#define KARG_WORDS_RA
#define KARG_GET(kind, ...) KARG_GET_##kind(__VA_ARGS__)
#define KARG_GET_W(n) a->n = inv_arg(iv, w++);
#define KARG_GET_C(n) a->n = iv->caps[c++];
#define KARG_GET_CO(n) a->n = iv->caps[c++];
#define KARG_GET_WA(n, count, max) a->n##_at = w;
#define KARG_GET_R(n)
#define KARG_GET_RA(n, count, max)
#define KARG_RESULT_PARAM(kind, ...) KARG_RESULT_PARAM_##kind(__VA_ARGS__)
#define KARG_RESULT_PARAM_W(n)
#define KARG_RESULT_PARAM_C(n)
#define KARG_RESULT_PARAM_CO(n)
#define KARG_RESULT_PARAM_WA(n, count, max)
#define KARG_RESULT_PARAM_R(n) , uint64_t n
#define KARG_RESULT_PARAM_RA(n, count, max)
#define KARG_RESULT(kind, ...) KARG_RESULT_##kind(__VA_ARGS__)
#define KARG_RESULT_W(n)
#define KARG_RESULT_C(n)
#define KARG_RESULT_CO(n)
#define KARG_RESULT_WA(n, count, max)
#define KARG_RESULT_R(n) inv_set_result(iv, r++, n);
#define KARG_RESULT_RA(n, count, max)
#define KARG_DEFINE(label, number, stub, object, params) \
	struct stub##_args { params(KARG_FIELD) }; \
	static inline abi_error_t inv_get_##stub(struct inv *iv, struct stub##_args *a) \
	{ \
		unsigned w = 0, c = 0; \
		(void)a; (void)w; (void)c; \
		if (inv_need_words(iv, 0 params(KARG_WORDS))) \
			return E_TRUNCATED_MESSAGE; \
		params(KARG_GET) \
		return E_OK; \
	} \
	static inline void inv_reply_##stub(struct inv *iv params(KARG_RESULT_PARAM)) \
	{ \
		unsigned r = 0; \
		(void)iv; (void)r; \
		params(KARG_RESULT) \
	}
ABI_INVOCATIONS(KARG_DEFINE)

/* Decode, and if that succeeds invoke, one invocation: decoder fills a
 * struct op that invoker acts on. The usual body of a case in a
 * decode_<object>; DECODE_INVOKE(name) when the three are named
 * <name>_op, decode_<name> and invoke_<name>. */
#define DECODE_INVOKE_AS(op, decoder, invoker, iv) \
	do { \
		struct op op_; \
		abi_error_t e_ = decoder(iv, &op_); \
		if (e_ == E_OK) \
			invoker(iv, &op_); \
		return e_; \
	} while (0)
#define DECODE_INVOKE(name, iv) DECODE_INVOKE_AS(name##_op, decode_##name, invoke_##name, iv)

/* Per object type: dispatch on the label (E_ILLEGAL_OPERATION if the
 * object does not do it), decode, invoke. */
abi_error_t decode_untyped(struct inv *iv);
abi_error_t decode_cnode(struct inv *iv);
abi_error_t decode_tcb(struct inv *iv);

/* Set CNode cap c's guard from an argument word (guard << 6 | guard size,
 * argil/kernel.h cnode_guard), argument argi if it is bad. */
abi_error_t cnode_set_guard_data(struct inv *iv, struct cap *c, uint64_t data, unsigned argi);

#endif
