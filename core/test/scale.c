/*
 * Resource release at scale (run/resource_release): `count` components
 * (default 10,000) are made and destroyed, and core's figures (free RAM,
 * free untyped blocks, free core slots, free CSpace leaves, live objects,
 * heap in use: PD_CORE_STATS) must be exactly what they were before -
 * checked every `every` components (default 1,000), so a leak is found
 * near where it starts, and at the end.
 *
 * Three of every four are PDs built by hand (release_pd_cycle: threads,
 * one stopped on a fault, CPU/LOG/ROM sessions and now and then an
 * IO_PORT session paid by the PD, RAM attached in it and in us, an
 * endpoint). Every fourth is a real ELF program (core_test_helper) started
 * with child_start, in turn one that
 *   - logs and exits, exits at once with a value,
 *   - faults (destroyed stopped on its fault),
 *   - is destroyed while its threads spin (mode=busy: sessions, threads,
 *     attachments and heap alive),
 *   - is destroyed while it waits in its entrypoint (after its start-up),
 *   - is destroyed mid-start: right after child_start returned (its parent
 *     interface refuses every request, so it may be stopped anywhere),
 *   - spends its quota until refused, then exits.
 */
#include "test.h"

#define KB 1024ul

static struct tchild sc;

static const char *const modes[] = { "log", "exit", "fault", "busy", "wait", "midstart", "spend" };
#define NMODES (int)(sizeof(modes) / sizeof(modes[0]))

static void elf_child(int i, int m)
{
	struct thread_state_info st;
	char name[24], args[32];
	const char *mode = modes[m];

	snprintf(name, sizeof(name), "c%d", i);
	if (m == 5) {
		/* a start-up in progress: destroyed at once, whatever it does */
		CHECK_OK(helper_start_bin(&sc, "core_test_helper", name, "mode=log", 1536 * KB, 64, HELPER_MUTE));
		helper_destroy(&sc);
		return;
	}
	if (m == 1)
		snprintf(args, sizeof(args), "mode=exit, value=%d", i & 0x7f);
	else
		snprintf(args, sizeof(args), "mode=%s", mode);
	CHECK_OK(helper_start(&sc, name, args, (m == 3 ? 3072 : 1536) * KB, 64));
	switch (m) {
	case 0:
	case 3:
	case 6:
		CHECK_EQ(helper_wait_exit(&sc), 0);
		break;
	case 1:
		CHECK_EQ(helper_wait_exit(&sc), (word_t)(i & 0x7f));
		break;
	case 2:
		CHECK_OK(pd_fault_sigh(sc.c.pd, test_ntfn));
		for (;;) {
			CHECK(!sc.exited);
			CHECK_OK(thread_state(sc.c.thread, &st));
			if (st.state == THREAD_FAULTED)
				break;
			wait_signal();
		}
		CHECK_EQ(st.fault_addr, 0x5000);
		break;
	case 4:
		/* its last request at start-up is the heartbeat handler */
		while (!sc.heartbeat)
			wait_signal();
		CHECK(!sc.exited);
		break;
	}
	helper_destroy(&sc);
}

static word_t elf_children, by_hand;

static void one(int i)
{
	if (i % 4 == 3) {
		elf_child(i, (i / 4) % NMODES);
		elf_children++;
	} else {
		release_pd_cycle(i, i % 13 == 0);
		by_hand++;
	}
}

TEST(SCALE_0001, "10,000 components made and destroyed: core's figures unchanged, checked every 1,000")
{
	word_t count = select_param("count", 10000), every = select_param("every", 1000);
	struct core_stats s0, s;

	CHECK(count >= 1 && every >= 1);
	/* anything kept once (our heap, our entrypoint's table, core's) is made now */
	for (int i = 0; i < 4 * NMODES; i++)
		one(i);
	s = s0 = stats();
	elf_children = by_hand = 0;
	stats_print("scale: before", &s0);
	for (word_t i = 1; i <= count; i++) {
		one((int)i);
		if (i % every && i != count)
			continue;
		s = stats();
		if (!stats_equal(&s0, &s)) {
			stats_print("scale: leak, before", &s0);
			stats_print("scale: leak, now", &s);
			test_fail(__FILE__, __LINE__, "core's figures changed within components %lu..%lu",
				  i - (i % every ? i % every : every) + 1, i);
		}
		printf("core_test: scale: %lu of %lu components made and destroyed, figures unchanged\n", i,
		       count);
	}
	stats_print("scale: after", &s);
	printf("core_test: scale: %lu components (%lu ELF children, %lu PDs by hand)\n", count,
	       elf_children, by_hand);
	CHECK(stats_equal(&s0, &s));
}
