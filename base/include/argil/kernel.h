/*
 * Typed wrappers for every kernel invocation in abi.h. Each returns the
 * abi_error_t of the reply (E_OK on success); results come back through
 * the out-parameters, which are always last. After a failure the reply's
 * detail words (mr0, mr1: which argument, allowed range, lookup failure)
 * are kept per thread: kernel_last_detail(0/1).
 *
 * Protocol: SYS_CALL on the object's cptr; label = invocation, length =
 * argument words (0..3 in registers, 4.. in the IPC buffer), extra caps
 * from ipc_buffer()->caps[]. The calling thread's IPC buffer is found via
 * thread_self() (argil/thread.h).
 */
#ifndef ARGIL_KERNEL_H
#define ARGIL_KERNEL_H

#include <argil/abi.h>

/* Generic invocation: args[0..len) out, caps[0..ncaps) as extra caps,
 * reply words [0..nout) into out. */
abi_error_t kernel_invoke(cptr_t cap, word_t label, word_t len, const word_t *args,
			  word_t ncaps, const cptr_t *caps, word_t nout, word_t *out);
word_t kernel_last_detail(int i);

/* One typed stub per kernel invocation, declared from the description in
 * argil/invocations.h: abi_error_t <stub>(cptr_t object, parameters...),
 * e.g. cnode_copy(root, dest_index, dest_depth, src_root, src_index,
 * src_depth, rights). Word parameters are word_t, caps cptr_t, results
 * word_t * (NULL: not wanted), arrays word_t pointers. */
#define KERNEL_STUB_PARAM(kind, ...) KERNEL_STUB_PARAM_##kind(__VA_ARGS__)
#define KERNEL_STUB_PARAM_W(n) , word_t n
#define KERNEL_STUB_PARAM_C(n) , cptr_t n
#define KERNEL_STUB_PARAM_CO(n) , cptr_t n
#define KERNEL_STUB_PARAM_WA(n, count, max) , const word_t *n
#define KERNEL_STUB_PARAM_R(n) , word_t *n
#define KERNEL_STUB_PARAM_RA(n, count, max) , word_t *n
#define KERNEL_STUB_DECL(label, number, stub, object, params) \
	abi_error_t stub(cptr_t object params(KERNEL_STUB_PARAM));
ABI_INVOCATIONS(KERNEL_STUB_DECL)

/* Guard data for CNODE_MINT/MUTATE of a CNode cap and TCB_CONFIGURE. */
static inline word_t cnode_guard(word_t guard_value, word_t guard_size)
{
	return (guard_value << 6) | (guard_size & 0x3f);
}

#endif
