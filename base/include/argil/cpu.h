/*
 * The CPU session (core): threads, their priority (within the session's
 * limit) and their CPU (within the session's affinity range)
 * (docs/framework.md, "Core: CPU").
 *
 * Session arguments: "priority=N" (the highest priority of the session's
 * threads; at most the paying PD's limit; default that limit),
 * "cpu_first=N", "cpu_count=N" (the CPUs threads may use; default all).
 *
 * CPU session operations:
 *   CPU_CREATE_THREAD  cap: PD the thread runs in; w0 priority, w1 cpu
 *                      (index within the session's range), w2 notification
 *                      slot (a free slot of that PD's CNode for the thread's
 *                      bound notification; 0: none)
 *                      -> cap: thread; w0 window (64 KiB, see component.h),
 *                         w1 IPC buffer address
 *   CPU_INFO           -> w0 priority limit, w1 cpu_first, w2 cpu_count,
 *                         w3 CPUs in the machine
 * Thread operations (on a thread capability):
 *   THREAD_START       w0 rip, w1 rsp, w2 rdi, w3 rsi (once)
 *   THREAD_PAUSE       stop it (a faulted thread stays faulted)
 *   THREAD_RESUME      continue a paused thread; a thread stopped on a
 *                      fault retries the faulting instruction
 *   THREAD_STATE       -> w0 state (THREAD_*), w1 fault label (FAULT_*),
 *                         w2 fault address / vector, w3 fault rip, w4 count
 *                         of faults
 *   THREAD_SET_PRIORITY w0 priority (<= the session's limit)
 *   THREAD_SET_AFFINITY w0 cpu (index within the session's range)
 *   THREAD_DESTROY     the thread ends; its resources return to the session
 */
#ifndef ARGIL_CPU_H
#define ARGIL_CPU_H

#include <argil/rpc_gen.h>


enum thread_state {
	THREAD_CREATED = 0,   /* not started */
	THREAD_RUNNING = 1,
	THREAD_PAUSED = 2,
	THREAD_FAULTED = 3,   /* stopped on an unresolvable fault */
};

#define CPU_RPC(OP, OPS)                                                                \
	OP(cpu_create_thread, CPU_CREATE_THREAD, 1,                                     \
	   ((CAP, pd), (WORD, prio), (WORD, cpu_index), (WORD, ntfn_slot)),             \
	   ((CAP, thread), (WORD, window), (WORD, ipc)))                                \
	OP(cpu_info, CPU_INFO, 2, (),                                                   \
	   ((WORD, prio_limit), (WORD, cpu_first), (WORD, cpu_count), (WORD, cpus)))
RPC_INTERFACE(cpu, CPU_RPC);

/* Thread operations (on a thread capability). */
#define THREAD_RPC(OP, OPS)                                                             \
	OP(thread_start_rpc, THREAD_START, 16,                                          \
	   ((WORD, rip), (WORD, rsp), (WORD, rdi), (WORD, rsi)), ())                    \
	OP(thread_pause, THREAD_PAUSE, 17, (), ())                                      \
	OP(thread_resume, THREAD_RESUME, 18, (), ())                                    \
	OPS(thread_state, THREAD_STATE, 19, (), thread_state_info,                      \
	    ((WORD, state), (WORD, fault_label), (WORD, fault_addr), (WORD, fault_ip),  \
	     (WORD, faults)))                                                           \
	OP(thread_set_priority, THREAD_SET_PRIORITY, 20, ((WORD, prio)), ())            \
	OP(thread_set_affinity, THREAD_SET_AFFINITY, 21, ((WORD, cpu)), ())             \
	OP(thread_destroy, THREAD_DESTROY, 22, (), ())
RPC_INTERFACE(thread, THREAD_RPC);

#endif
