/*
 * Client side of the kernel invocations: one stub per entry of
 * ABI_INVOCATIONS (argil/invocations.h), generated here from that
 * description, and the generic kernel_invoke (argil/kernel.h). Words go
 * into registers and the IPC buffer in the order described, caps into the
 * IPC buffer's cap list; SYS_CALL; on E_OK the result words come back into
 * the out-parameters. Trusts nothing in the reply beyond its label and
 * words.
 */
#include <argil/kernel.h>
#include <argil/thread.h>
#include <arch/syscall.h>

/* An invocation being packed, and its reply being unpacked. */
struct kmsg {
	struct sys_msg m;
	struct ipc_buffer *ib;
	word_t len, ncaps, nout;
};

static inline void put_word(struct kmsg *k, word_t v)
{
	if (k->len < ABI_MSG_REGS)
		k->m.mr[k->len] = v;
	else
		k->ib->msg[k->len] = v;
	k->len++;
}

static inline void put_cap(struct kmsg *k, cptr_t c)
{
	k->ib->caps[k->ncaps++] = c;
}

static inline word_t get_word(struct kmsg *k)
{
	word_t i = k->nout++;
	return i < ABI_MSG_REGS ? k->m.mr[i] : k->ib->msg[i];
}

static abi_error_t call(cptr_t cap, word_t label, struct kmsg *k)
{
	struct thread_info *ti = thread_self();

	k->m.info = mi_make(label, 0, k->ncaps, k->len);
	sys_call(cap, &k->m);
	ti->detail[0] = k->m.mr[0];
	ti->detail[1] = k->m.mr[1];
	return (abi_error_t)mi_label(k->m.info);
}

abi_error_t kernel_invoke(cptr_t cap, word_t label, word_t len, const word_t *args,
			  word_t ncaps, const cptr_t *caps, word_t nout, word_t *out)
{
	struct kmsg k = { .ib = thread_self()->ipc };

	for (word_t i = 0; i < len; i++)
		put_word(&k, args[i]);
	for (word_t i = 0; i < ncaps; i++)
		put_cap(&k, caps[i]);
	abi_error_t err = call(cap, label, &k);
	if (err == E_OK)
		for (word_t i = 0; i < nout; i++)
			out[i] = get_word(&k);
	return err;
}

word_t kernel_last_detail(int i)
{
	return thread_self()->detail[i & 1];
}

static inline word_t at_most(word_t n, word_t max)
{
	return n > max ? max : n;
}

/* Packing and unpacking of each kind of parameter (argil/invocations.h;
 * the parameter lists come from argil/kernel.h). Words are packed in the order the W entries are
 * listed, then a WA array; caps in the order the C/CO entries are. */
#define STUB_WORD(kind, ...) STUB_WORD_##kind(__VA_ARGS__)
#define STUB_WORD_W(n) put_word(&k, n);
#define STUB_WORD_C(n)
#define STUB_WORD_CO(n)
#define STUB_WORD_WA(n, count, max)
#define STUB_WORD_R(n)
#define STUB_WORD_RA(n, count, max)

#define STUB_REST(kind, ...) STUB_REST_##kind(__VA_ARGS__)
#define STUB_REST_W(n)
#define STUB_REST_C(n) put_cap(&k, n);
#define STUB_REST_CO(n) if (n) put_cap(&k, n);
#define STUB_REST_WA(n, count, max) for (word_t i = 0; i < at_most(count, max); i++) put_word(&k, n[i]);
#define STUB_REST_R(n)
#define STUB_REST_RA(n, count, max)

#define STUB_RESULT(kind, ...) STUB_RESULT_##kind(__VA_ARGS__)
#define STUB_RESULT_W(n)
#define STUB_RESULT_C(n)
#define STUB_RESULT_CO(n)
#define STUB_RESULT_WA(n, count, max)
#define STUB_RESULT_R(n) { word_t v = get_word(&k); if (n) *n = v; }
#define STUB_RESULT_RA(n, count, max) for (word_t i = 0; i < at_most(count, max); i++) n[i] = get_word(&k);

#define STUB(label, number, stub, object, params) \
	abi_error_t stub(cptr_t object params(KERNEL_STUB_PARAM)) \
	{ \
		struct kmsg k = { .ib = thread_self()->ipc }; \
		params(STUB_WORD) \
		params(STUB_REST) \
		abi_error_t err = call(object, label, &k); \
		if (err == E_OK) { \
			params(STUB_RESULT) \
		} \
		return err; \
	}
ABI_INVOCATIONS(STUB)
