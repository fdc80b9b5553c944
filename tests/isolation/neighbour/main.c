/*
 * isolation_neighbour: a component that keeps working next to the
 * attacker of run/isolation and checks itself in rounds. It holds RAM
 * (a pattern), a heap block, a ROM session (its content's checksum), its
 * own notification, its LOG session, a worker thread; every round it
 * checks all of them and its account at core, then counts the round in
 * the page its parent shares with it (tests/isolation/isolation.h) and
 * signals the parent. It never ends by itself: the parent destroys it.
 */
#include <argil/component.h>
#include <argil/cthread.h>
#include <argil/heap.h>
#include <argil/kernel.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/rom.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <argil/thread.h>
#include <arch/syscall.h>
#include "../isolation.h"

#define PRIV_SIZE (64 * 1024)
#define HEAP_SIZE 4096

static struct iso_shared *sh;
static cptr_t worker_ntfn;
static volatile word_t worker_count;

static void worker(void *arg)
{
	(void)arg;
	for (;;) {
		worker_count++;
		sys_signal(worker_ntfn);
		sys_yield();
	}
}

static word_t pattern(word_t i)
{
	return i * 0x9e3779b97f4a7c15ul ^ 0x5a5a;
}

static word_t checksum(const char *p, word_t n)
{
	word_t s = 0;

	for (word_t i = 0; i < n; i++)
		s = s * 31 + (unsigned char)p[i];
	return s;
}

static void error(enum iso_error e)
{
	sh->errors++;
	sh->last_error = e;
	printf("neighbour: check %d failed in round %lu\n", (int)e, sh->rounds);
}

void component_construct(struct component_env *env)
{
	static struct cthread w;
	struct attached_rom rom;
	struct pd_quota q0, q;
	word_t addr, h, start, size, flags, off;
	cptr_t ds, own, own_b;

	/* the parent attaches the shared page after child_start */
	while (pd_region(env->pd, ISO_SHARED, &start, &size, &flags, &off) != RPC_OK)
		sys_yield();
	sh = (struct iso_shared *)ISO_SHARED;
	if (pd_alloc_ram(env->pd, PRIV_SIZE, &ds) != RPC_OK ||
	    pd_attach(env->pd, ds, 0, 0, 0, ATTACH_WRITE, &addr) != RPC_OK)
		component_exit(1);
	word_t *priv = (word_t *)addr;
	for (word_t i = 0; i < PRIV_SIZE / 8; i++)
		priv[i] = pattern(i);
	unsigned char *hb = malloc(HEAP_SIZE);
	if (!hb)
		component_exit(2);
	for (int i = 0; i < HEAP_SIZE; i++)
		hb[i] = (unsigned char)(i * 7 + 1);
	if (attached_rom_open(&rom, "core_test_helper") != RPC_OK || !rom.data)
		component_exit(3);
	word_t rom_sum = checksum(rom.data, rom.size);
	own = cap_slot_alloc();
	worker_ntfn = cap_slot_alloc();
	own_b = cap_slot_alloc();
	if (pd_alloc_ntfn(env->pd, own, &h) != RPC_OK || pd_alloc_ntfn(env->pd, worker_ntfn, &h) != RPC_OK ||
	    cnode_mint(COMPONENT_CNODE, own_b, 64, COMPONENT_CNODE, own, 64, RIGHTS_ALL, 0x5) != E_OK)
		component_exit(4);
	if (cthread_create(&w, worker, 0, env->info->priority, 0, 8192, 0) != RPC_OK)
		component_exit(5);
	if (pd_quota(env->pd, &q0) != RPC_OK)
		component_exit(6);
	sh->magic = ISO_MAGIC;
	for (;;) {
		word_t before = sh->errors;
		for (word_t i = 0; i < PRIV_SIZE / 8; i++)
			if (priv[i] != pattern(i)) {
				error(ISO_E_MEMORY);
				break;
			}
		for (int i = 0; i < HEAP_SIZE; i++)
			if (hb[i] != (unsigned char)(i * 7 + 1)) {
				error(ISO_E_HEAP);
				break;
			}
		if (checksum(rom.data, rom.size) != rom_sum)
			error(ISO_E_ROM);
		if (pd_quota(env->pd, &q) != RPC_OK || q.ram_quota != q0.ram_quota ||
		    q.ram_used != q0.ram_used || q.cap_quota != q0.cap_quota || q.cap_used != q0.cap_used)
			error(ISO_E_QUOTA);
		if (sys_debug_cap_type(own) != OBJ_NOTIFICATION)
			error(ISO_E_NTFN);
		sys_signal(own_b);
		if (sys_poll(own) != 0x5 || sys_poll(own) != 0)
			error(ISO_E_NTFN);
		if (sys_debug_cap_type(COMPONENT_PARENT) != OBJ_ENDPOINT ||
		    sys_debug_cap_type(COMPONENT_PD) != OBJ_ENDPOINT ||
		    sys_debug_cap_type(COMPONENT_MAIN_NTFN) != OBJ_NOTIFICATION)
			error(ISO_E_CAPS);
		if (sh->rounds % 4096 == 0) {
			char line[64];
			int n = snprintf(line, sizeof(line), "neighbour: round %lu, all well", sh->rounds);
			if (before == sh->errors && log_write(env->log, line, (size_t)n) != RPC_OK)
				error(ISO_E_LOG);
		}
		word_t wc = worker_count;
		sys_wait(worker_ntfn);
		if (worker_count == wc) {
			sys_wait(worker_ntfn);   /* a signal from before wc was read */
			if (worker_count == wc)
				error(ISO_E_WORKER);
		}
		sh->worker = worker_count;
		sh->rounds++;
		sys_signal(ISO_NTFN_SLOT);
	}
}
