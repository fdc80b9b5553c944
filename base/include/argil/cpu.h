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

#include <argil/rpc.h>

enum cpu_op {
	CPU_CREATE_THREAD = 1,
	CPU_INFO,
	THREAD_START = 16,
	THREAD_PAUSE,
	THREAD_RESUME,
	THREAD_STATE,
	THREAD_SET_PRIORITY,
	THREAD_SET_AFFINITY,
	THREAD_DESTROY,
};

enum thread_state {
	THREAD_CREATED = 0,   /* not started */
	THREAD_RUNNING = 1,
	THREAD_PAUSED = 2,
	THREAD_FAULTED = 3,   /* stopped on an unresolvable fault */
};

struct thread_state_info {
	word_t state, fault_label, fault_addr, fault_ip, faults;
};

rpc_status_t cpu_create_thread(cptr_t cpu, cptr_t pd, word_t prio, word_t cpu_index,
			       word_t ntfn_slot, cptr_t *thread, word_t *window, word_t *ipc);
rpc_status_t cpu_info(cptr_t cpu, word_t *prio_limit, word_t *cpu_first, word_t *cpu_count,
		      word_t *cpus);
rpc_status_t thread_start_rpc(cptr_t thread, word_t rip, word_t rsp, word_t rdi, word_t rsi);
rpc_status_t thread_pause(cptr_t thread);
rpc_status_t thread_resume(cptr_t thread);
rpc_status_t thread_state(cptr_t thread, struct thread_state_info *st);
rpc_status_t thread_set_priority(cptr_t thread, word_t prio);
rpc_status_t thread_set_affinity(cptr_t thread, word_t cpu);
rpc_status_t thread_destroy(cptr_t thread);

#endif
