/*
 * The IPC fastpath: a Call to a waiting receiver, and a ReplyRecv to a
 * caller, with at most four message words (registers only) and no caps,
 * when the partner runs on this CPU, nothing queued outranks it, and it
 * can leave through SYSRET into its own address space. syscall_entry
 * (entry.S) jumps here with the message still in registers. First come
 * the checks, which change nothing; any case they do not cover goes to the
 * general path (syscall_slow), which gives the same result more slowly.
 * Then the threads change state and arch_fastpath_exit (arch/cpu.h) leaves
 * into the partner with the message in registers (its saved context is not
 * written: every kernel entry saves those registers again).
 *
 * What the checks may rely on, because the rest of the kernel keeps it so
 * whenever a thread makes a system call:
 * - the caller is p->cur, not queued, on this CPU (t->cpu == p->index);
 *   its FPU state is in the FPU (p->fpu_owner == t) and its fs/gs bases
 *   are loaded;
 * - a TCB's CSpace slot holds a CNode cap or the null cap (all zero), its
 *   VSpace slot a PML4 cap or the null cap (TCB_CONFIGURE checks the type,
 *   deletion leaves null; zombies exist only inside a deletion);
 * - a thread blocked in Recv owes no reply (ep_recv and the ReplyRecv
 *   fastpath drop the old one before blocking);
 * - a thread that is not blocked on a reply has no reply cap saved
 *   (reply_slot == NULL); a caller that a server owes a reply to
 *   (server->reply_to) has none either (CNODE_SAVE_CALLER clears reply_to);
 * - q_next/q_prev and blocked_on mean something only while the thread is
 *   queued or blocked on an endpoint or notification, reply_holder only
 *   while it is blocked on a reply (every way into that state sets it).
 */
#include <types.h>
#include <cap.h>
#include <cspace.h>
#include <tcb.h>
#include <sched.h>
#include <smp.h>
#include <endpoint.h>
#include <notification.h>
#include <fastpath.h>
#include <arch/cpu.h>
#include <arch/pcpu.h>
#include <arch/switch.h>

/* At most ABI_MSG_REGS words, no caps, unwrapped field 0 (which the
 * general path would clear: it is ignored when sending). */
static inline __attribute__((always_inline)) bool fast_info(uint64_t info)
{
	return (info & ((1ull << MI_LABEL_SHIFT) - 1)) <= ABI_MSG_REGS;
}

/*
 * The slot that cptr names in t's CSpace when the root CNode alone
 * resolves all 64 bits (guard size + radix = 64: the usual one-level
 * CSpace), as the general lookup (cspace.c) would find it; false for any
 * other CSpace, which the general path resolves. A null root cap has
 * guard size and radix 0 and fails the sum; a guard with bits above its
 * size, which the general lookup would mask, fails the compare.
 */
static inline __attribute__((always_inline)) bool fast_lookup(const struct tcb *t, uint64_t cptr, struct cte **slot)
{
	const struct cap *root = &t->slots[TCB_SLOT_CSPACE].cap;
	unsigned radix = cap_bits_byte(root);
	if (unlikely(radix + cap_guard_size_byte(root) != 64))
		return false;
	uint64_t guard = cptr >> radix;
	if (unlikely(guard != cap_guard(root)))
		return false;
	*slot = cnode_slots(root) + (cptr ^ (guard << radix));
	return true;
}

/* A thread's cpu, fast_exit_ok, queued and fault_pending fields, which lie
 * side by side, as one value. */
static inline __attribute__((always_inline)) uint32_t fast_key(const struct tcb *t)
{
	_Static_assert(offsetof(struct tcb, fast_exit_ok) == offsetof(struct tcb, cpu) + 1 &&
		       offsetof(struct tcb, queued) == offsetof(struct tcb, cpu) + 2 &&
		       offsetof(struct tcb, fault_pending) == offsetof(struct tcb, cpu) + 3, "adjacent fields");
	uint32_t v;
	__builtin_memcpy(&v, &t->cpu, sizeof(v));
	return v;
}

/* Whether partner may run now in place of the caller t, which blocks.
 * One compare with t's key (t runs on this CPU, has just set fast_exit_ok,
 * is in no run queue and has no fault pending) says that the partner is
 * on this CPU, entered the kernel with SYSCALL and had no registers
 * written since (so SYSRET can take it back), and is not blocked for a
 * fault (whose reply the general path handles). Then nothing queued here
 * may outrank it (it would be the scheduler's choice), and it needs an
 * address space. */
static inline __attribute__((always_inline)) bool fast_partner_ok(pcpu_gs_t *p, const struct tcb *t, const struct tcb *partner)
{
	return fast_key(partner) == fast_key(t) &&
	       !RUNQUEUE_OUTRANKS(p->rq, partner->prio) &&
	       cap_vspace_root(&partner->slots[TCB_SLOT_VSPACE].cap);
}

/* Hand the CPU from 'from' (now blocked) to 'to' and leave the kernel,
 * with the message in to's registers. */
static inline __attribute__((noreturn, always_inline)) void fast_switch(pcpu_gs_t *p, struct tcb *from, struct tcb *to,
	uint64_t badge, uint64_t info, uint64_t mr0, uint64_t mr1, uint64_t mr2, uint64_t mr3)
{
	p->cur = to;
	arch_fast_switch_user(p, from, to);
	kernel_unlock();
	arch_fastpath_exit(&to->ctx, badge, info, mr0, mr1, mr2, mr3);
}

void c_fastpath_call(uint64_t cptr, uint64_t info, uint64_t mr0, uint64_t unused, uint64_t mr1, uint64_t mr2)
{
	(void)unused;
	pcpu_gs_t *p = this_cpu_gs();
	if (unlikely(!kernel_trylock()))
		c_handle_syscall();
	struct tcb *t = p->cur;
	t->fast_exit_ok = true;

	struct cte *s;
	if (unlikely(!fast_info(info) || !fast_lookup(t, cptr, &s)))
		goto slow;
	uint64_t w0 = cap_word0(&s->cap);
	if (unlikely(!cap_word_is(w0, OBJ_ENDPOINT, RIGHT_WRITE)))
		goto slow;
	struct endpoint *ep = cap_ptr(&s->cap);
	if (unlikely(ep->state != EP_RECV))
		goto slow;
	struct tcb *r = ep->q.head;
	if (unlikely(!fast_partner_ok(p, t, r)))
		goto slow;

	/* the receiver leaves the head of the queue */
	struct tcb *next = r->q_next;
	ep->q.head = next;
	if (likely(!next)) {   /* one thread serving the endpoint */
		ep->q.tail = next;
		ep->state = EP_IDLE;
	} else {
		next->q_prev = NULL;
	}
	/* the caller waits for the reply the receiver now owes */
	t->state = TS_BLOCKED_REPLY;
	t->ipc_grant_reply = cap_word_has_any(w0, RIGHT_GRANT | RIGHT_GRANT_REPLY);
	t->reply_holder = r;
	r->reply_to = t;
	r->state = TS_RUNNING;
	fast_switch(p, t, r, cap_badge(&s->cap), info, mr0, mr1, mr2, arch_ctx_mr(&t->ctx, 3));
slow:
	syscall_slow(this_cpu());
}

void c_fastpath_reply_recv(uint64_t cptr, uint64_t info, uint64_t mr0, uint64_t unused, uint64_t mr1, uint64_t mr2)
{
	(void)unused;
	pcpu_gs_t *p = this_cpu_gs();
	if (unlikely(!kernel_trylock()))
		c_handle_syscall();
	struct tcb *t = p->cur;
	t->fast_exit_ok = true;

	if (unlikely(!fast_info(info)))
		goto slow;
	/* (a fault reply, which may set registers, takes the general path) */
	struct tcb *c = t->reply_to;
	if (unlikely(!c || !fast_partner_ok(p, t, c)))
		goto slow;
	struct cte *s;
	if (unlikely(!fast_lookup(t, cptr, &s)))
		goto slow;
	if (unlikely(!cap_word_is(cap_word0(&s->cap), OBJ_ENDPOINT, RIGHT_READ)))
		goto slow;
	struct endpoint *ep = cap_ptr(&s->cap);
	struct notification *n = t->bound_ntfn;
	if (unlikely(ep->state == EP_SEND || (n && n->state == NTFN_ACTIVE)))
		goto slow;

	/* the reply: the caller runs again */
	t->reply_to = NULL;
	c->state = TS_RUNNING;
	/* the server waits on the endpoint, most often alone */
	t->state = TS_BLOCKED_RECV;
	t->blocked_on = ep;
	struct tcb *tail = ep->q.tail;
	t->q_next = NULL;
	t->q_prev = tail;
	if (likely(!tail))
		ep->q.head = t;
	else
		tail->q_next = t;
	ep->q.tail = t;
	ep->state = EP_RECV;
	fast_switch(p, t, c, 0, info, mr0, mr1, mr2, arch_ctx_mr(&t->ctx, 3));
slow:
	syscall_slow(this_cpu());
}
