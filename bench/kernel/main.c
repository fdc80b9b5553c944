/*
 * Kernel micro-benchmarks (root task). Run under qemu -icount shift=0, where
 * the TSC advances one tick per retired instruction: every figure is an
 * instruction count, the median of N runs, minus the cost of two
 * back-to-back rdtsc reads. Prints one JSON object per benchmark.
 */
#include <argil/env.h>
#include <argil/kernel.h>
#include <argil/printf.h>
#include <arch/syscall.h>

#define N 201
#define LABEL_DONE 99

static struct env E;
static word_t samples[N];
static word_t overhead;

/* the image needs a data segment for vspace_clone's copy */
volatile word_t bench_data = 1;

static word_t median(word_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		word_t x = v[i];
		int j = i - 1;
		for (; j >= 0 && v[j] > x; j--)
			v[j + 1] = v[j];
		v[j + 1] = x;
	}
	return v[n / 2];
}

static void report(const char *name, word_t value)
{
	value = value > overhead ? value - overhead : 0;
	printf("{\"bench\": \"%s\", \"value\": %lu, \"unit\": \"instructions\"}\n", name, value);
}

static void measure_overhead(void)
{
	for (int i = 0; i < N; i++) {
		word_t a = rdtsc();
		word_t b = rdtsc();
		samples[i] = b - a;
	}
	overhead = median(samples, N);
}

/* ---- IPC: a server in another address space ---- */

struct ipc_shared {
	volatile word_t after_recv;      /* server: just after its (Reply)Recv returned */
	volatile word_t before_replyrecv;/* server: just before ReplyRecv */
};

static word_t ipc_server(word_t ep, word_t shared)
{
	struct ipc_shared *sh = (struct ipc_shared *)shared;
	struct sys_msg m = { 0 };
	sys_recv(ep, &m);
	for (;;) {
		sh->after_recv = rdtsc();
		m.info = 0;
		sh->before_replyrecv = rdtsc();
		sys_reply_recv(ep, &m);
	}
	return 0;
}

static void bench_ipc(void)
{
	struct vspace vs;
	struct thread t;
	word_t rva;
	word_t call[N], rr[N], rt[N];
	cptr_t ep = env_obj(&E, OBJ_ENDPOINT, 0);

	vspace_clone(&E, &vs);
	struct ipc_shared *sh = vspace_share(&E, &vs, &rva);
	thread_create_in(&E, &t, &vs, INIT_CNODE, 0, 0, THREAD_SELF);
	thread_start(&t, ipc_server, ep, rva, 100, 0);
	sys_yield();   /* same priority: the server runs and waits */
	for (int i = -20; i < N; i++) {
		struct sys_msg m = { 0 };
		word_t t0 = rdtsc();
		sys_call(ep, &m);
		word_t t1 = rdtsc();
		if (i >= 0) {
			call[i] = sh->after_recv - t0;
			rr[i] = t1 - sh->before_replyrecv;
			rt[i] = t1 - t0;
		}
	}
	report("ipc_call_oneway", median(call, N));
	report("ipc_replyrecv_oneway", median(rr, N));
	report("ipc_roundtrip", median(rt, N));
	tcb_suspend(t.tcb);
}

static void bench_yield(void)
{
	for (int i = -10; i < N; i++) {
		word_t t0 = rdtsc();
		sys_yield();
		word_t t1 = rdtsc();
		if (i >= 0)
			samples[i] = t1 - t0;
	}
	report("yield", median(samples, N));
}

/* ---- a signal wakes a higher-priority waiter in another address space ---- */

struct sig_shared {
	volatile word_t woken;
	volatile word_t count;
};

static word_t sig_waiter(word_t n, word_t shared)
{
	struct sig_shared *sh = (struct sig_shared *)shared;
	for (;;) {
		sys_wait(n);
		sh->woken = rdtsc();
		sh->count++;
	}
	return 0;
}

static void bench_signal(void)
{
	struct vspace vs;
	struct thread t;
	word_t rva;
	cptr_t n = env_obj(&E, OBJ_NOTIFICATION, 0);

	vspace_clone(&E, &vs);
	struct sig_shared *sh = vspace_share(&E, &vs, &rva);
	thread_create_in(&E, &t, &vs, INIT_CNODE, 0, 0, THREAD_SELF);
	thread_start(&t, sig_waiter, n, rva, 150, 0);   /* root runs at 100 */
	for (int i = -20; i < N; i++) {
		word_t t0 = rdtsc();
		sys_signal(n);
		if (i >= 0)
			samples[i] = sh->woken - t0;
	}
	report("signal_wake_higher", median(samples, N));
	tcb_suspend(t.tcb);
}

/* ---- mapping a 4 KiB frame into an existing page table ---- */

static void bench_map(void)
{
	cptr_t probe;
	word_t *p = env_page(&E, &probe);      /* finds a page-table slot in the scratch window */
	word_t va = (word_t)p;
	cptr_t f = env_obj(&E, OBJ_FRAME_4K, 0);

	frame_unmap(probe);
	for (int i = -10; i < N; i++) {
		word_t t0 = rdtsc();
		abi_error_t e = frame_map(f, INIT_VSPACE, va, RIGHT_READ | RIGHT_WRITE, 0);
		word_t t1 = rdtsc();
		frame_unmap(f);
		if (e != E_OK) {
			printf("kernel_bench: map_page_4k failed with %d\n", (int)e);
			return;
		}
		if (i >= 0)
			samples[i] = t1 - t0;
	}
	report("map_page_4k", median(samples, N));
}

/* ---- a page fault resolved by a handler that maps the page ---- */

struct fault_shared {
	volatile word_t cost;
};

static word_t fault_thread(word_t va, word_t shared)
{
	struct fault_shared *sh = (struct fault_shared *)shared;
	word_t done_ep = *(volatile word_t *)(shared + 64);
	for (;;) {
		word_t t0 = rdtsc();
		(void)*(volatile word_t *)va;     /* faults: the handler maps it */
		word_t t1 = rdtsc();
		sh->cost = t1 - t0;
		struct sys_msg m = { 0 };
		m.info = mi_make(LABEL_DONE, 0, 0, 0);
		sys_call(done_ep, &m);            /* the handler unmaps it again */
	}
	return 0;
}

static void bench_fault(void)
{
	struct vspace vs;
	struct thread t;
	word_t rva, dummy;
	cptr_t ep = env_obj(&E, OBJ_ENDPOINT, 0);
	cptr_t f = env_obj(&E, OBJ_FRAME_4K, 0);

	vspace_clone(&E, &vs);
	struct fault_shared *sh = vspace_share(&E, &vs, &rva);
	/* a page next to the shared one, inside the clone's remote page table */
	vspace_share(&E, &vs, &dummy);
	word_t va = dummy + 4096;
	*(volatile word_t *)((word_t)sh + 64) = ep;
	thread_create_in(&E, &t, &vs, INIT_CNODE, 0, ep, THREAD_SELF);
	thread_start(&t, fault_thread, va, rva, 100, 0);

	struct sys_msg m = { 0 };
	int done = -20;
	sys_recv(ep, &m);
	while (done < N) {
		if (mi_label(m.info) == FAULT_PAGE) {
			frame_map(f, vs.pml4, va, RIGHT_READ | RIGHT_WRITE, 0);
		} else if (mi_label(m.info) == LABEL_DONE) {
			if (done >= 0)
				samples[done] = sh->cost;
			done++;
			frame_unmap(f);
		} else {
			printf("kernel_bench: unexpected message label %lu\n", mi_label(m.info));
			return;
		}
		m.info = 0;
		sys_reply_recv(ep, &m);
	}
	report("fault_roundtrip", median(samples, N));
	tcb_suspend(t.tcb);
}

int main(struct bootinfo *bi)
{
	if (env_init(&E, bi) != E_OK) {
		printf("kernel_bench: no memory\n");
		return 1;
	}
	measure_overhead();
	tcb_set_priority(INIT_TCB, INIT_TCB, 100);
	bench_ipc();
	bench_yield();
	bench_signal();
	bench_map();
	bench_fault();
	printf("kernel_bench: done\n");
	return 0;
}
