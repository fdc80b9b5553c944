/*
 * core_test's helper child: does what its start arguments say ("mode=...")
 * and exits with a value the test checks.
 *
 *   exit value=N   exit at once with N
 *   log            write lines to its LOG session, exit 0
 *   fault          write to an address without a region (stops)
 *   spend          allocate RAM until refused: exit 0 if the refusal was
 *                  NO_RAM_QUOTA or NO_CAP_QUOTA, else 1
 *   badcaps        use capabilities it was not given: exit 0 if every use
 *                  failed cleanly
 *   busy           make threads, sessions and attachments, then exit 0
 *                  (the parent destroys it with all of them alive)
 *   wait           block forever
 *   hide           set its own fault handler and try to install caps into
 *                  its own CNode (both through its own PD view; the
 *                  install must be DENIED), then fault at 0x6000 (exit 1
 *                  if a check failed)
 */
#include <argil/args.h>
#include <argil/component.h>
#include <argil/cthread.h>
#include <argil/kernel.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/heap.h>
#include <argil/rom.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <arch/syscall.h>

static volatile word_t spin;

static void spinner(void *arg)
{
	(void)arg;
	for (;;)
		spin++;
}

static int badcaps(struct component_env *env)
{
	struct rpc_msg m;
	int bad = 0;

	/* empty slots, reserved slots, the wrong objects */
	for (cptr_t c = 7; c < 200; c++) {
		if (c == env->log)
			continue;
		rpc_init(&m, PD_QUOTA);
		rpc_status_t st = rpc_call(c, &m);
		if (c >= 16 && st != RPC_E_INVALID_CAP) {
			printf("slot %lu: %s\n", c, rpc_status_name(st));
			bad++;
		}
	}
	rpc_init(&m, 1);
	if (rpc_call(COMPONENT_MAIN_NTFN, &m) != RPC_E_INVALID_CAP)
		bad++;
	sys_poll(COMPONENT_MAIN_NTFN);
	/* kernel invocations on capabilities that are not kernel objects of that kind */
	if (cnode_revoke(COMPONENT_CNODE, COMPONENT_PARENT, 64) != E_OK)
		bad++;   /* allowed: it only revokes copies it made itself */
	if (tcb_suspend(COMPONENT_PD) == E_OK)
		bad++;
	/* quota it does not have, transfers to nobody */
	cptr_t ds;
	if (pd_alloc_ram(env->pd, 1ul << 39, &ds) != RPC_E_NO_RAM_QUOTA)
		bad++;
	if (pd_transfer(env->pd, COMPONENT_PARENT, 1, 0) != RPC_E_INVALID_CAP)
		bad++;
	/* the parent interface: a session far beyond its quota */
	cptr_t s;
	word_t id;
	if (parent_session(env->parent, "LOG", "", "", 1ul << 39, 1, 0, &s, &id) != RPC_E_NO_RAM_QUOTA)
		bad++;
	return bad;
}

static int spend(struct component_env *env)
{
	cptr_t ds;
	rpc_status_t st;
	int n = 0;

	while ((st = pd_alloc_ram(env->pd, 64 * 1024, &ds)) == RPC_OK)
		n++;
	printf("spent %d blocks of 64 KiB: %s\n", n, rpc_status_name(st));
	return st == RPC_E_NO_RAM_QUOTA || st == RPC_E_NO_CAP_QUOTA ? 0 : 1;
}

static int busy(struct component_env *env)
{
	static struct cthread t[2];
	word_t a;
	cptr_t ds;

	for (int i = 0; i < 2; i++)
		if (cthread_create(&t[i], spinner, 0, 10, 0, 8192, 1) != RPC_OK)
			return 1;
	for (int i = 0; i < 3; i++) {
		if (pd_alloc_ram(env->pd, 3 * 4096, &ds) != RPC_OK ||
		    pd_attach(env->pd, ds, 0, 0, 0, ATTACH_WRITE, &a) != RPC_OK)
			return 2;
		((volatile char *)a)[4096] = 1;
	}
	void *p = malloc(100 * 1024);
	if (!p)
		return 3;
	memset(p, 1, 100 * 1024);
	cptr_t rom;
	word_t id;
	if (parent_session(env->parent, "ROM", "core_test_helper", "", ROM_SESSION_RAM,
			   ROM_SESSION_CAPS, 0, &rom, &id) != RPC_OK)
		return 4;
	cptr_t h = cap_slot_alloc();
	word_t hh;
	if (pd_alloc_ep(env->pd, h, &hh) != RPC_OK)
		return 5;
	return 0;
}

void component_construct(struct component_env *env)
{
	char mode[16] = "";
	uint64_t value = 0;

	args_get(env->info->args, "mode", mode, sizeof(mode));
	args_u64(env->info->args, "value", 0, &value);
	if (!strcmp(mode, "exit"))
		component_exit((int)value);
	if (!strcmp(mode, "log")) {
		printf("helper %s: hello", env->info->label);
		log("a line from the helper");
		component_exit(0);
	}
	if (!strcmp(mode, "fault")) {
		*(volatile int *)0x5000 = 1;
		component_exit(99);
	}
	if (!strcmp(mode, "spend"))
		component_exit(spend(env));
	if (!strcmp(mode, "badcaps"))
		component_exit(badcaps(env));
	if (!strcmp(mode, "busy"))
		component_exit(busy(env));
	if (!strcmp(mode, "wait"))
		return;   /* serve the (empty) entrypoint forever */
	if (!strcmp(mode, "hide")) {
		static struct signal_handler own;
		if (signal_handler_init(&env->ep, &own, 0, 0) != RPC_OK ||
		    pd_fault_sigh(env->pd, own.cap) != RPC_OK ||
		    pd_install(env->pd, 9, env->pd) != RPC_E_DENIED ||
		    pd_install(env->pd, COMPONENT_PARENT, own.cap) != RPC_E_DENIED)
			component_exit(1);
		*(volatile int *)0x6000 = 1;
		component_exit(99);
	}
	printf("helper: unknown mode '%s'\n", mode);
	component_exit(100);
}
