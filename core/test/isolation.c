/*
 * Isolation (run/isolation): an attacker component
 * (tests/isolation/attacker) does everything it can against capabilities
 * it was not given, core, its quota and the kernel, while a neighbour
 * (tests/isolation/neighbour) keeps working and checks itself every
 * round. We check that the neighbour's rounds go on without a failed
 * check during and after each attack, that the attacker itself reports no
 * unexpected outcome, that its main thread never stopped on a fault, and
 * that core's figures are back where they were once the attacker is
 * destroyed (with the neighbour still there) and once both are gone.
 */
#include "test.h"
#include "../../tests/isolation/isolation.h"

#define KB 1024ul
#define ATTACKS 3

static struct tchild nb, at;

/* Wait until the neighbour has done `more` further rounds; fail on any
 * error it reported. */
static void neighbour_rounds(volatile struct iso_shared *sh, word_t more)
{
	word_t target = sh->rounds + more;

	while (sh->rounds < target) {
		CHECK(!nb.exited);
		wait_signal();
	}
	if (sh->errors)
		test_fail(__FILE__, __LINE__, "the neighbour failed %lu checks (last: %lu)", sh->errors,
			  sh->last_error);
}

TEST(ISO_0001, "an attacker harms neither a working neighbour nor core's accounts")
{
	struct core_stats s0, s1, s2;
	struct thread_state_info st;
	struct pd_quota nq0, nq1;
	cptr_t shared_ds, ntfn_copy;
	word_t a;

	s0 = stats();
	/* the neighbour, with the page it reports through and our notification */
	CHECK_OK(helper_start_bin(&nb, "isolation_neighbour", "neighbour", "", 1536 * KB, 64, HELPER_NO_DEVICES));
	ntfn_copy = cap_slot_alloc();
	CHECK_EQ(cnode_copy(COMPONENT_CNODE, ntfn_copy, 64, COMPONENT_CNODE, test_ntfn, 64, RIGHT_WRITE), E_OK);
	CHECK_OK(pd_install(nb.c.pd, ISO_NTFN_SLOT, ntfn_copy));   /* moved into its slot */
	cap_slot_free(ntfn_copy);
	volatile struct iso_shared *sh = ram_map(4096, &shared_ds);
	CHECK_OK(pd_attach(nb.c.pd, shared_ds, ISO_SHARED, 4096, 0, ATTACH_FIXED | ATTACH_WRITE, &a));
	neighbour_rounds(sh, 3);
	CHECK_EQ(sh->magic, ISO_MAGIC);
	nq0 = quota_of(nb.c.pd);
	/* from here on the neighbour makes and frees nothing: core's figures are fixed */
	s1 = stats();
	for (int i = 1; i <= ATTACKS; i++) {
		char args[32];
		word_t w0 = sh->worker;
		snprintf(args, sizeof(args), "seed=%d", i * 7919);
		CHECK_OK(helper_start_bin(&at, "isolation_attacker", "attacker", args, 2048 * KB, 96,
					  HELPER_NO_DEVICES));
		CHECK_OK(pd_fault_sigh(at.c.pd, test_ntfn));
		while (!at.exited) {
			CHECK_OK(thread_state(at.c.thread, &st));
			if (st.state == THREAD_FAULTED)
				test_fail(__FILE__, __LINE__, "the attacker's main thread faulted (label %lu at 0x%lx ip 0x%lx)",
					  st.fault_label, st.fault_addr, st.fault_ip);
			if (sh->errors)
				test_fail(__FILE__, __LINE__, "the neighbour failed a check during the attack (%lu)",
					  sh->last_error);
			wait_signal();
		}
		CHECK_EQ(at.exit_value, 0);   /* no unexpected outcome at the attacker */
		helper_destroy(&at);
		neighbour_rounds(sh, 3);
		CHECK(sh->worker > w0);
		nq1 = quota_of(nb.c.pd);
		CHECK(nq1.ram_quota == nq0.ram_quota && nq1.ram_used == nq0.ram_used &&
		      nq1.cap_quota == nq0.cap_quota && nq1.cap_used == nq0.cap_used);
		CHECK_EQ(nb.nsessions, 2);   /* its LOG and ROM sessions */
		s2 = stats();
		if (!stats_equal(&s1, &s2)) {
			stats_print("isolation: before the attacker", &s1);
			stats_print("isolation: after the attacker", &s2);
			test_fail(__FILE__, __LINE__, "core's figures changed by attacker %d", i);
		}
		printf("core_test: isolation: attacker %d (%s) gone; the neighbour did %lu rounds, no failed check; "
		       "core's figures unchanged\n", i, args, sh->rounds);
	}
	stats_print("isolation: with the neighbour, before the attackers", &s1);
	stats_print("isolation: with the neighbour, after the attackers", &s2);
	helper_destroy(&nb);
	ram_unmap((void *)sh, shared_ds);
	s2 = stats();
	stats_print("isolation: before", &s0);
	stats_print("isolation: after", &s2);
	CHECK(stats_equal(&s0, &s2));
}
