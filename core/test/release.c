/*
 * Resource release: creating and destroying PDs with threads, sessions and
 * attached dataspaces leaves core's free RAM, free untyped blocks, free
 * slots, free CSpace leaves, object count and heap exactly as before.
 * (Figures are printed; run/resource_release will do the same at scale.)
 */
#include "test.h"

#define KB 1024ul

/* One PD with a CPU session, two threads (one started: it faults at once,
 * there is no code in its address space), a LOG and a ROM session paid by
 * the PD, RAM attached in it and in us, an endpoint handle; with io set
 * also an IO_PORT session (ports are exclusive: one not given back makes
 * the next PD's request BUSY). */
void release_pd_cycle(int i, int io)
{
	word_t id, cid, lid, rid, a, w, ipc, h;
	cptr_t pd, cpu, log, rom, ds, th[2];
	char label[32];

	snprintf(label, sizeof(label), "rel%d", i);
	CHECK_OK(try_session("PD", label, i & 1 ? "cnode_bits=8" : "", 700 * KB, 64, 0, &pd, &id));
	CHECK_OK(try_session("CPU", label, "", 32 * KB, 8, pd, &cpu, &cid));
	CHECK_OK(try_session("LOG", label, "", LOG_SESSION_RAM, LOG_SESSION_CAPS, pd, &log, &lid));
	CHECK_OK(try_session("ROM", "init", "", ROM_SESSION_RAM, ROM_SESSION_CAPS, pd, &rom, &rid));
	for (int t = 0; t < 2; t++)
		CHECK_OK(cpu_create_thread(cpu, pd, 10, 0, t ? 16 : 0, &th[t], &w, &ipc));
	CHECK_OK(thread_start_rpc(th[1], 0x400000, w + 0x10000, 0, 0));
	CHECK_OK(pd_alloc_ram(pd, (word_t)(i % 5 + 1) * 4096, &ds));
	CHECK_OK(pd_attach(pd, ds, 0, 0, 0, ATTACH_WRITE, &a));
	CHECK_OK(pd_attach(pd, ds, 0x600000, 4096, 0, ATTACH_FIXED, &a));
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, ATTACH_WRITE, &a));
	((volatile char *)a)[0] = 1;   /* mapped in us through core's fault handling */
	CHECK_OK(pd_alloc_ep(pd, 20, &h));
	cptr_t rds;
	word_t rsize, ra;
	CHECK_OK(rom_dataspace(rom, &rds, &rsize));
	CHECK_OK(pd_attach(pd, rds, 0, 0, 0, 0, &ra));
	cap_slot_free(rds);
	cptr_t port = 0;
	word_t pid;
	if (io)
		CHECK_OK(try_session("IO_PORT", label, "base=0x70, size=2", 8 * KB, 4, pd, &port, &pid));
	/* close the PD first: everything it paid for goes with it */
	if (i % 3 == 0) {
		close_session(cid, cpu);
		close_session(id, pd);
	} else {
		close_session(id, pd);
		CHECK_ST(parent_close(tenv->parent, cid), RPC_E_NOT_FOUND);
		cap_slot_free(cpu);
	}
	CHECK_ST(pd_region(tenv->pd, a, 0, 0, 0, 0), RPC_E_NOT_FOUND);
	cap_slot_free(ds);
	cap_slot_free(log);
	cap_slot_free(rom);
	cap_slot_free(th[0]);
	cap_slot_free(th[1]);
	if (port)
		cap_slot_free(port);
}

TEST(REL_0001, "50 PDs with threads, sessions and attachments: core's figures unchanged")
{
	struct core_stats s0, s1;

	release_pd_cycle(0, 1);   /* anything core keeps once is made now */
	s0 = stats();
	for (int i = 1; i <= 50; i++)
		release_pd_cycle(i, i % 7 == 0);
	s1 = stats();
	stats_print("before 50 PDs", &s0);
	stats_print("after 50 PDs", &s1);
	CHECK(stats_equal(&s0, &s1));
}

TEST(REL_0002, "20 running children with threads, sessions, attachments: figures unchanged")
{
	static struct tchild tc;
	struct core_stats s0, s1;

	s0 = stats();
	for (int i = 0; i < 20; i++) {
		CHECK_OK(helper_start(&tc, "busy", "mode=busy", 3 * 1024 * KB, 64));
		CHECK_EQ(helper_wait_exit(&tc), 0);
		helper_destroy(&tc);
	}
	s1 = stats();
	stats_print("before 20 children", &s0);
	stats_print("after 20 children", &s1);
	CHECK(stats_equal(&s0, &s1));
}

TEST(REL_0003, "core's own RAM use: bounded and reported")
{
	struct core_stats s = stats();
	struct pd_quota q = quota_of(tenv->pd);

	stats_print("now", &s);
	/* every byte of quota we have not used yet is backed by free RAM at core */
	CHECK(s.ram_free >= q.ram_quota - q.ram_used);
	CHECK(s.heap_used < 4 * 1024 * KB);
	CHECK(s.objects_used < 200);
}

TEST(REL_0004, "what things cost (printed for docs/framework.md)")
{
	word_t id, id2, w, ipc, a;
	cptr_t pd, s, th, ds;
	struct pd_quota q0, q1;

	for (int bits = 6; bits <= 12; bits += 3) {
		char args[32];
		snprintf(args, sizeof(args), "cnode_bits=%d", bits);
		pd = session("PD", "cost", args, 600 * KB, 20, &id);
		q0 = quota_of(pd);
		printf("core_test: cost: PD with cnode_bits=%d: %lu bytes, %lu caps\n", bits, q0.ram_used,
		       q0.cap_used);
		close_session(id, pd);
	}
	pd = session("PD", "cost", "cnode_bits=8", 600 * KB, 40, &id);
	q0 = quota_of(pd);
	CHECK_OK(try_session("LOG", "cost", "", LOG_SESSION_RAM, LOG_SESSION_CAPS, pd, &s, &id2));
	q1 = quota_of(pd);
	printf("core_test: cost: LOG session: donation %lu bytes, %lu caps\n", q0.ram_quota - q1.ram_quota,
	       q0.cap_quota - q1.cap_quota);
	close_session(id2, s);
	CHECK_OK(try_session("CPU", "cost", "", 64 * KB, 16, pd, &s, &id2));
	CHECK_OK(cpu_create_thread(s, pd, 10, 0, 16, &th, &w, &ipc));
	close_session(id2, s);
	cap_slot_free(th);
	q0 = quota_of(pd);
	CHECK_OK(pd_alloc_ram(pd, 4096, &ds));
	q1 = quota_of(pd);
	printf("core_test: cost: RAM dataspace of 4 KiB: %lu bytes, %lu caps\n", q1.ram_used - q0.ram_used,
	       q1.cap_used - q0.cap_used);
	q0 = q1;
	CHECK_OK(pd_attach(pd, ds, 0x10000000, 0, 0, ATTACH_FIXED, &a));
	q1 = quota_of(pd);
	printf("core_test: cost: first attachment (page tables, region, reserved slot): %lu bytes\n",
	       q1.ram_used - q0.ram_used);
	CHECK_OK(pd_detach(pd, a));
	CHECK_EQ(quota_of(pd).ram_used, q0.ram_used);
	cap_slot_free(ds);
	close_session(id, pd);
}
