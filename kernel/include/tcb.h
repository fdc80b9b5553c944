/* Thread control blocks: register state, scheduling state, IPC state. */
#ifndef TCB_H
#define TCB_H

#include <cap.h>
#include <arch/cpu.h>

enum thread_state {
	TS_INACTIVE = 0,     /* suspended or never started */
	TS_RUNNING,          /* runnable: current on its CPU or in a run queue */
	TS_BLOCKED_SEND,     /* queued on an endpoint to send (or fault) */
	TS_BLOCKED_RECV,     /* queued on an endpoint to receive */
	TS_BLOCKED_REPLY,    /* waiting for the reply to a Call (or fault) */
	TS_BLOCKED_NTFN,     /* waiting on a notification */
	TS_IDLE,             /* a CPU's idle thread */
};

enum tcb_slot {
	TCB_SLOT_CSPACE,
	TCB_SLOT_VSPACE,
	TCB_SLOT_IPCBUF,
	TCB_SLOT_FAULT_EP,
	TCB_SLOT_COUNT
};

struct endpoint;
struct notification;

struct tcb {
	struct user_context ctx;          /* offset 0, 16-byte aligned */
	uint8_t fpu[512] __attribute__((aligned(16)));
	struct cte slots[TCB_SLOT_COUNT];

	uint8_t state;
	uint8_t prio, mcp;
	uint8_t cpu;                      /* affinity */
	bool fast_exit_ok;                /* entered by a system call, registers not
	                                     written since: arch_exit_to_user may
	                                     take the fast way out */
	bool queued;                      /* in a run queue */
	bool fault_pending;               /* blocked for a fault, not a syscall */
	bool ipc_call;                    /* the blocked send is a Call */
	bool ipc_grant, ipc_grant_reply;  /* rights of the cap used to send */
	uint32_t slice;

	struct tcb *sched_next, *sched_prev;
	struct tcb *q_next, *q_prev;      /* endpoint / notification queue */
	void *blocked_on;                 /* endpoint or notification */
	uint64_t ipc_badge;               /* badge of the cap a blocked sender used */

	struct tcb *reply_to;             /* caller this thread owes a reply */
	struct tcb *reply_holder;         /* BLOCKED_REPLY: who owes us */
	struct cte *reply_slot;           /* BLOCKED_REPLY: reply cap saved here */

	struct notification *bound_ntfn;
	uint64_t ipc_buffer_vaddr;
	struct arch_thread arch;          /* fs/gs bases and the like */
	uint64_t fault_word[4];           /* a pending fault's message */
	uint64_t fault_label;
	uint64_t fault_len;               /* words in fault_word */
	struct pml4_info *unused;
};
_Static_assert(sizeof(struct tcb) <= (1u << OBJ_TCB_BITS), "TCB too large");

/* A FIFO of threads linked through q_next/q_prev (endpoint and
 * notification wait queues). */
struct tcb_queue {
	struct tcb *head, *tail;
};

static inline void tcbq_append(struct tcb_queue *q, struct tcb *t)
{
	t->q_next = NULL;
	t->q_prev = q->tail;
	if (q->tail)
		q->tail->q_next = t;
	else
		q->head = t;
	q->tail = t;
}

static inline void tcbq_remove(struct tcb_queue *q, struct tcb *t)
{
	if (t->q_prev)
		t->q_prev->q_next = t->q_next;
	else
		q->head = t->q_next;
	if (t->q_next)
		t->q_next->q_prev = t->q_prev;
	else
		q->tail = t->q_prev;
	t->q_next = t->q_prev = NULL;
	t->blocked_on = NULL;
}

void tcb_init(struct tcb *t);
struct ipc_buffer *tcb_ipc_buffer(struct tcb *t);   /* kernel view or NULL */
uint64_t tcb_vspace_root(struct tcb *t);             /* physical PML4 or kernel's */
void tcb_finalise(struct tcb *t);                    /* suspend, unlink everything */
void tcb_suspend(struct tcb *t);
void tcb_resume(struct tcb *t);
void tcb_cancel_ipc(struct tcb *t);
void tcb_set_reply_error(struct tcb *t, abi_error_t e);
void tcb_set_mr_result(struct tcb *t, uint64_t info);
void tcb_detach_running(struct tcb *t);              /* stop it running on any CPU */
void tcb_write_regs(struct tcb *t, const uint64_t *r, unsigned n);

#endif
