/*
 * The component runtime (argil/component.h): start-up of the main thread,
 * the slot allocator, the heap, the LOG session behind printf, exit.
 * Trusts the info page only as far as it is checked (magic, sizes).
 */
#include <argil/component.h>
#include <argil/cthread.h>
#include <argil/heap.h>
#include <argil/kernel.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/cpu.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <argil/thread.h>
#include <arch/syscall.h>
#include <stdarg.h>

struct slot_alloc component_slots;
struct heap *component_heap;

static struct heap heap;
static struct component_env env;
static struct component_info info_copy;
static struct signal_handler heartbeat;

void __component_main(const struct component_info *info) __attribute__((noreturn));
void __component_thread_exit(word_t value) __attribute__((noreturn));

/* More slots from the PD (argil/slot.h), while the last SLOT_GROW_BELOW
 * are still free for what growing needs itself (a heap dataspace). After a
 * refusal, only an allocation that would fail tries again. */
static void slots_grow(void)
{
	static int growing, refused;
	struct slot_chunk *c;
	word_t first, count;
	rpc_status_t st;

	if ((refused && slot_free_count(&component_slots)) || !component_heap ||
	    __atomic_exchange_n(&growing, 1, __ATOMIC_ACQUIRE))
		return;
	c = malloc(sizeof(*c));
	st = c ? pd_cspace_grow(COMPONENT_PD, &first, &count) : RPC_E_OUT_OF_MEMORY;
	if (st == RPC_OK) {
		slot_alloc_add(&component_slots, c, first, count);
		refused = 0;
	} else {
		free(c);
		refused = 1;
	}
	__atomic_store_n(&growing, 0, __ATOMIC_RELEASE);
}

cptr_t cap_slot_alloc(void)
{
	if (slot_free_count(&component_slots) < SLOT_GROW_BELOW)
		slots_grow();
	return slot_alloc(&component_slots);
}

void cap_slot_free(cptr_t slot)
{
	if (!slot)
		return;
	cnode_delete(COMPONENT_CNODE, slot, 64);
	slot_free(&component_slots, slot);
}

struct component_env *component_env(void)
{
	return &env;
}

/* Debug-console output with the label in front, for when there is no LOG. */
static void debug_out(const char *s, size_t n)
{
	int start = 1;

	for (size_t i = 0; i < n; i++) {
		if (start) {
			const char *l = info_copy.label[0] ? info_copy.label : "?";
			sys_debug_putchar('[');
			while (*l)
				sys_debug_putchar(*l++);
			sys_debug_putchar(']');
			sys_debug_putchar(' ');
			start = 0;
		}
		sys_debug_putchar(s[i]);
		if (s[i] == '\n')
			start = 1;
	}
	if (n && s[n - 1] != '\n')
		sys_debug_putchar('\n');
}

static void log_out(const char *s, size_t n)
{
	while (n) {
		size_t k = n > LOG_WRITE_MAX ? LOG_WRITE_MAX : n;
		if (log_write(env.log, s, k) != RPC_OK) {
			debug_out(s, n);
			return;
		}
		s += k;
		n -= k;
	}
}

void log(const char *fmt, ...)
{
	char buf[PRINTF_BUF];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	size_t len = (size_t)n < sizeof(buf) - 1 ? (size_t)n : sizeof(buf) - 2;
	buf[len++] = '\n';
	if (printf_output)
		printf_output(buf, len);
	else
		debug_out(buf, len);
}

/* A heartbeat signal from the parent: answer it (from the entrypoint, so a
 * stuck entrypoint stops answering and the parent can tell). */
static void on_heartbeat(void *arg)
{
	(void)arg;
	parent_heartbeat_response(COMPONENT_PARENT);
}

void component_exit(int value)
{
	parent_exit(COMPONENT_PARENT, (word_t)(long)value);
	/* the parent destroys us; until then this thread stays out of the way */
	for (;;) {
		if (thread_self()->thread_cap)
			thread_pause(thread_self()->thread_cap);
		sys_wait(COMPONENT_MAIN_NTFN);
	}
}

void __component_main(const struct component_info *info)
{
	struct thread_info *ti = thread_self();
	word_t window = (word_t)ti;

	memset(ti, 0, sizeof(*ti));
	ti->magic = THREAD_INFO_MAGIC;
	ti->ipc = (struct ipc_buffer *)(window + COMPONENT_IPC_OFFSET);
	printf_output = debug_out;

	if (!info || info->magic != COMPONENT_INFO_MAGIC || info->cnode_bits < 6 ||
	    info->cnode_bits > SLOT_ALLOC_MAX_BITS || info->first_free_slot < COMPONENT_FIRST_FREE) {
		debug_out("bad component info page\n", 24);
		component_exit(-1);
	}
	info_copy = *info;
	info_copy.label[COMPONENT_LABEL_MAX - 1] = 0;
	info_copy.args[sizeof(info_copy.args) - 1] = 0;
	ti->thread_cap = info->main_thread;

	slot_alloc_init(&component_slots, info->first_free_slot, 1ul << info->cnode_bits);
	rpc_runtime.recv_cnode = COMPONENT_CNODE;
	rpc_runtime.recv_depth = 64;
	rpc_runtime.slot_alloc = cap_slot_alloc;
	rpc_runtime.slot_free = cap_slot_free;

	heap_init(&heap, COMPONENT_PD);
	component_heap = &heap;

	env.info = &info_copy;
	env.parent = COMPONENT_PARENT;
	env.pd = COMPONENT_PD;
	env.cpu = COMPONENT_CPU;
	env.heap = &heap;
	ep_init(&env.ep, COMPONENT_MAIN_EP, COMPONENT_MAIN_NTFN, COMPONENT_CNODE);

	if (parent_session(COMPONENT_PARENT, "LOG", "", "", LOG_SESSION_RAM, LOG_SESSION_CAPS, 0,
			   &env.log, &env.log_id) == RPC_OK)
		printf_output = log_out;

	/* heartbeats, if the parent monitors them (core does not) */
	if (signal_handler_init(&env.ep, &heartbeat, on_heartbeat, 0) == RPC_OK &&
	    parent_heartbeat_sigh(COMPONENT_PARENT, heartbeat.cap) != RPC_OK)
		signal_handler_fini(&env.ep, &heartbeat);

	component_construct(&env);
	ep_run(&env.ep);
}

/* ---- further threads ---- */

extern void __component_thread_start(void);

void __component_thread_exit(word_t value)
{
	struct thread_info *ti = thread_self();

	ti->exit_value = value;
	ti->exited = 1;
	if (ti->exit_ntfn)
		sys_signal(ti->exit_ntfn);
	for (;;) {
		if (ti->thread_cap)
			thread_pause(ti->thread_cap);
		sys_yield();
	}
}

rpc_status_t cthread_create(struct cthread *t, void (*fn)(void *), void *arg, word_t prio,
			    word_t cpu, size_t stack, int want_ntfn)
{
	rpc_status_t st;
	word_t ipc;

	memset(t, 0, sizeof(*t));
	stack = (stack + 4095) & ~4095ul;
	if (stack == 0 || stack > BASE_STACK_SIZE - 4096)
		return RPC_E_INVALID_ARGUMENT;
	if (want_ntfn && !(t->ntfn = cap_slot_alloc()))
		return RPC_E_OUT_OF_SLOTS;
	st = cpu_create_thread(env.cpu, env.pd, prio, cpu, t->ntfn, &t->cap, &t->window, &ipc);
	if (st != RPC_OK)
		goto fail;
	st = pd_alloc_ram(env.pd, stack, &t->stack_ds);
	if (st != RPC_OK)
		goto fail;
	t->stack_addr = t->window + BASE_STACK_SIZE - stack;
	st = pd_attach(env.pd, t->stack_ds, t->stack_addr, stack, 0, ATTACH_WRITE | ATTACH_FIXED, 0);
	if (st != RPC_OK) {
		t->stack_addr = 0;
		goto fail;
	}
	struct thread_info *ti = (struct thread_info *)t->window;
	memset(ti, 0, sizeof(*ti));
	ti->magic = THREAD_INFO_MAGIC;
	ti->ipc = (struct ipc_buffer *)ipc;
	ti->thread_cap = t->cap;
	st = thread_start_rpc(t->cap, (word_t)__component_thread_start, t->window + BASE_STACK_SIZE,
			      (word_t)fn, (word_t)arg);
	if (st == RPC_OK)
		return RPC_OK;
fail:
	cthread_destroy(t);
	return st;
}

rpc_status_t cthread_destroy(struct cthread *t)
{
	rpc_status_t st = RPC_OK;

	if (t->cap) {
		st = thread_destroy(t->cap);
		cap_slot_free(t->cap);
	}
	if (t->stack_addr)
		pd_detach(env.pd, t->stack_addr);
	if (t->stack_ds) {
		pd_free_ram(env.pd, t->stack_ds);
		cap_slot_free(t->stack_ds);
	}
	if (t->ntfn)
		cap_slot_free(t->ntfn);
	memset(t, 0, sizeof(*t));
	return st;
}

int cthread_exited(const struct cthread *t)
{
	return t->window && ((const struct thread_info *)t->window)->exited;
}
