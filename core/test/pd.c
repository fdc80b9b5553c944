/*
 * PD sessions: RAM dataspaces, the region map (attach, detach, faults
 * resolved by core), quota and transfers, capability arguments.
 */
#include "test.h"

#define KB 1024ul

TEST(PD_0001, "PD_QUOTA of our own PD is consistent")
{
	struct pd_quota q = quota_of(tenv->pd);

	CHECK(q.ram_used <= q.ram_quota);
	CHECK(q.cap_used <= q.cap_quota);
	/* init gets most of the machine's RAM, whatever its size */
	struct core_stats st = stats();
	CHECK(q.ram_quota <= st.ram_total);
	CHECK(q.ram_quota > st.ram_total / 2);
	CHECK(q.cap_used > 0);
}

TEST(PD_0002, "RAM: allocate, attach, write, read back, detach, free; quota returns exactly")
{
	struct pd_quota q0 = quota_of(tenv->pd), q1;
	cptr_t ds;
	word_t size, flags, phys;
	char *p = ram_map(3 * 4096 + 5, &ds);

	CHECK_OK(ds_info(ds, &size, &flags, &phys));
	CHECK_EQ(size, 4 * 4096);
	CHECK(flags & DS_WRITABLE);
	CHECK(flags & DS_RAM);
	CHECK_EQ(phys, 0);   /* a RAM dataspace's address only DMA_PHYS tells */
	q1 = quota_of(tenv->pd);
	CHECK(q1.ram_used >= q0.ram_used + 4 * 4096);
	CHECK_EQ(q1.cap_used, q0.cap_used + 1);
	for (int i = 0; i < 4 * 4096; i++)
		CHECK_EQ(p[i], 0);   /* fresh memory is zeroed */
	for (int i = 0; i < 4 * 4096; i++)
		p[i] = (char)(i * 7);
	for (int i = 0; i < 4 * 4096; i++)
		CHECK_EQ((unsigned char)p[i], (unsigned char)(i * 7));
	ram_unmap(p, ds);
	q1 = quota_of(tenv->pd);
	CHECK_EQ(q1.ram_used, q0.ram_used);
	CHECK_EQ(q1.cap_used, q0.cap_used);
}

TEST(PD_0003, "PD_ALLOC_RAM of 0 bytes or of more than 1 TiB is INVALID_ARGUMENT")
{
	cptr_t ds;

	CHECK_ST(pd_alloc_ram(tenv->pd, 0, &ds), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_alloc_ram(tenv->pd, (1ul << 40) + 1, &ds), RPC_E_INVALID_ARGUMENT);
}

TEST(PD_0004, "PD_ALLOC_RAM beyond the quota is NO_RAM_QUOTA and charges nothing")
{
	struct pd_quota q0 = quota_of(tenv->pd), q1;
	cptr_t ds;

	CHECK_ST(pd_alloc_ram(tenv->pd, q0.ram_quota - q0.ram_used + 4096, &ds), RPC_E_NO_RAM_QUOTA);
	q1 = quota_of(tenv->pd);
	CHECK_EQ(q1.ram_used, q0.ram_used);
	CHECK_EQ(q1.cap_used, q0.cap_used);
}

TEST(PD_0005, "ATTACH_FIXED over an existing region is EXISTS; next to it works")
{
	cptr_t ds;
	word_t a, b;

	CHECK_OK(pd_alloc_ram(tenv->pd, 2 * 4096, &ds));
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, ATTACH_WRITE, &a));
	CHECK_ST(pd_attach(tenv->pd, ds, a + 4096, 4096, 0, ATTACH_FIXED, &b), RPC_E_EXISTS);
	CHECK_ST(pd_attach(tenv->pd, ds, a - 4096, 2 * 4096, 0, ATTACH_FIXED, &b), RPC_E_EXISTS);
	/* the page below might be taken by someone else's region: look for room above */
	word_t at = a + 2 * 4096;
	while (pd_region(tenv->pd, at, 0, 0, 0, 0) == RPC_OK)
		at += 4096;
	CHECK_OK(pd_attach(tenv->pd, ds, at, 4096, 4096, ATTACH_FIXED, &b));
	CHECK_EQ(b, at);
	CHECK_OK(pd_detach(tenv->pd, b));
	CHECK_OK(pd_detach(tenv->pd, a));
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
}

TEST(PD_0006, "ATTACH with a bad address, offset or size is INVALID_ARGUMENT")
{
	cptr_t ds;
	word_t a;

	CHECK_OK(pd_alloc_ram(tenv->pd, 2 * 4096, &ds));
	CHECK_ST(pd_attach(tenv->pd, ds, 0x50000123, 0, 0, ATTACH_FIXED, &a), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_attach(tenv->pd, ds, 0, 0, 0, ATTACH_FIXED, &a), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_attach(tenv->pd, ds, ABI_USER_TOP - 4096, 0, 0, ATTACH_FIXED, &a),
		 RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_attach(tenv->pd, ds, 0x7ffffffff000ull - 4096, 0, 0, ATTACH_FIXED, &a),
		 RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_attach(tenv->pd, ds, 0, 0, 100, 0, &a), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_attach(tenv->pd, ds, 0, 0, 2 * 4096, 0, &a), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_attach(tenv->pd, ds, 0, 2 * 4096, 4096, 0, &a), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_attach(tenv->pd, ds, 0, 0, 0, ATTACH_ALIGN(31), &a), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
}

TEST(PD_0007, "ATTACH with unknown flag bits is INVALID_ARGUMENT")
{
	cptr_t ds;
	word_t a;

	CHECK_OK(pd_alloc_ram(tenv->pd, 4096, &ds));
	CHECK_ST(pd_attach(tenv->pd, ds, 0, 0, 0, 0x8, &a), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_attach(tenv->pd, ds, 0, 0, 0, 1ul << 40, &a), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
}

TEST(PD_0008, "ATTACH of something that is not a dataspace (or nothing) is INVALID_CAP")
{
	word_t a;

	CHECK_ST(pd_attach(tenv->pd, tenv->pd, 0, 0, 0, 0, &a), RPC_E_INVALID_CAP);
	CHECK_ST(pd_attach(tenv->pd, 0, 0, 0, 0, 0, &a), RPC_E_INVALID_CAP);
	CHECK_ST(pd_attach(tenv->pd, test_ntfn, 0, 0, 0, 0, &a), RPC_E_INVALID_CAP);
	CHECK_ST(pd_attach(tenv->pd, COMPONENT_PARENT, 0, 0, 0, 0, &a), RPC_E_INVALID_CAP);
}

TEST(PD_0009, "DETACH of an address that is not a region's start is NOT_FOUND")
{
	cptr_t ds;
	char *p = ram_map(2 * 4096, &ds);

	CHECK_ST(pd_detach(tenv->pd, (word_t)p + 4096), RPC_E_NOT_FOUND);
	CHECK_ST(pd_detach(tenv->pd, 0x1000), RPC_E_NOT_FOUND);
	/* a thread's UTCB page is not a detachable region */
	CHECK_ST(pd_detach(tenv->pd, tenv->info->main_window), RPC_E_NOT_FOUND);
	ram_unmap(p, ds);
}

TEST(PD_0010, "freeing an attached dataspace detaches it")
{
	cptr_t ds;
	char *p = ram_map(4096, &ds);

	p[0] = 1;
	CHECK_OK(pd_region(tenv->pd, (word_t)p, 0, 0, 0, 0));
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	CHECK_ST(pd_region(tenv->pd, (word_t)p, 0, 0, 0, 0), RPC_E_NOT_FOUND);
	CHECK_ST(pd_detach(tenv->pd, (word_t)p), RPC_E_NOT_FOUND);
	cap_slot_free(ds);
}

TEST(PD_0011, "a freed dataspace's capability is dead: FREE_RAM, ATTACH and DS_INFO fail")
{
	cptr_t ds;
	word_t a;

	CHECK_OK(pd_alloc_ram(tenv->pd, 4096, &ds));
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	CHECK_EQ(sys_debug_cap_type(ds), 0);   /* revoked: the slot is empty */
	CHECK_ST(pd_free_ram(tenv->pd, ds), RPC_E_INVALID_CAP);
	CHECK_ST(pd_attach(tenv->pd, ds, 0, 0, 0, 0, &a), RPC_E_INVALID_CAP);
	CHECK_ST(ds_info(ds, 0, 0, 0), RPC_E_INVALID_CAP);
	cap_slot_free(ds);
}

TEST(PD_0012, "two attachments of one dataspace at different offsets share its pages")
{
	cptr_t ds;
	word_t a, b;

	CHECK_OK(pd_alloc_ram(tenv->pd, 4 * 4096, &ds));
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, ATTACH_WRITE, &a));
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 2 * 4096, 2 * 4096, 0, &b));
	((volatile char *)a)[2 * 4096 + 17] = 42;
	((volatile char *)a)[3 * 4096] = 43;
	CHECK_EQ(((volatile char *)b)[17], 42);
	CHECK_EQ(((volatile char *)b)[4096], 43);
	word_t start, size, flags, off;
	CHECK_OK(pd_region(tenv->pd, b + 4096, &start, &size, &flags, &off));
	CHECK_EQ(start, b);
	CHECK_EQ(size, 2 * 4096);
	CHECK_EQ(flags, 0);
	CHECK_EQ(off, 2 * 4096);
	CHECK_OK(pd_detach(tenv->pd, b));
	CHECK_OK(pd_detach(tenv->pd, a));
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
}

TEST(PD_0013, "ATTACH anywhere honours the requested alignment")
{
	cptr_t ds;
	word_t a;

	CHECK_OK(pd_alloc_ram(tenv->pd, 4096, &ds));
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, ATTACH_ALIGN(21), &a));
	CHECK_EQ(a & ((1ul << 21) - 1), 0);
	CHECK(a >= COMPONENT_ANY_BASE && a < COMPONENT_ANY_END);
	CHECK_OK(pd_detach(tenv->pd, a));
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
}

TEST(PD_0014, "an unknown PD opcode is ILLEGAL_OPERATION; a DS opcode on a PD too")
{
	struct rpc_msg m;

	rpc_init(&m, 999);
	CHECK_ST(rpc_call(tenv->pd, &m), RPC_E_ILLEGAL_OPERATION);
	rpc_init(&m, DS_INFO);
	CHECK_ST(rpc_call(tenv->pd, &m), RPC_E_ILLEGAL_OPERATION);
	rpc_init(&m, PD_QUOTA);
	cptr_t ds;
	CHECK_OK(pd_alloc_ram(tenv->pd, 4096, &ds));
	CHECK_ST(rpc_call(ds, &m), RPC_E_ILLEGAL_OPERATION);
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
}

TEST(PD_0015, "PD_INSTALL: only PARENT, CPU and 8..15; without a cap INVALID_CAP")
{
	cptr_t pd;
	word_t id;

	pd = session("PD", "inst", "cnode_bits=6", 400 * KB, 10, &id);
	CHECK_ST(pd_install(pd, COMPONENT_PD, tenv->pd), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_install(pd, COMPONENT_MAIN_EP, tenv->pd), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_install(pd, 16, tenv->pd), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_install(pd, 9, 0), RPC_E_INVALID_CAP);
	CHECK_ST(pd_install(tenv->pd, 9, tenv->pd), RPC_E_DENIED);   /* not through our own view */
	CHECK_OK(pd_install(pd, 9, tenv->pd));       /* a core object: a fresh copy */
	CHECK_OK(pd_install(pd, 10, test_ntfn));     /* a foreign cap: moved in */
	CHECK_OK(pd_install(pd, 10, test_ntfn));     /* replacing is fine */
	CHECK(sys_debug_cap_type(test_ntfn) == OBJ_NOTIFICATION);  /* ours stays */
	close_session(id, pd);
}

TEST(PD_0016, "PD_ALLOC_EP/NTFN put a new object in our CNode; bad slots and handles fail")
{
	cptr_t s = cap_slot_alloc(), s2 = cap_slot_alloc();
	word_t h, h2;

	CHECK_OK(pd_alloc_ep(tenv->pd, s, &h));
	CHECK_EQ(sys_debug_cap_type(s), OBJ_ENDPOINT);
	CHECK_ST(pd_alloc_ntfn(tenv->pd, s, &h2), RPC_E_EXISTS);
	CHECK_ST(pd_alloc_ntfn(tenv->pd, COMPONENT_CPU, &h2), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(pd_alloc_ntfn(tenv->pd, 1ul << 12, &h2), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(pd_alloc_ntfn(tenv->pd, s2, &h2));
	CHECK_EQ(sys_debug_cap_type(s2), OBJ_NOTIFICATION);
	sys_signal(s2);
	CHECK_EQ(sys_poll(s2), 0);   /* unbadged: the word is 0, but it was signalled */
	CHECK_OK(pd_free_obj(tenv->pd, h));
	CHECK_EQ(sys_debug_cap_type(s), 0);
	CHECK_ST(pd_free_obj(tenv->pd, h), RPC_E_NOT_FOUND);
	CHECK_ST(pd_free_obj(tenv->pd, 12345), RPC_E_NOT_FOUND);
	CHECK_ST(pd_free_obj(tenv->pd, test_ntfn_handle + 1), RPC_E_NOT_FOUND);
	CHECK_OK(pd_free_obj(tenv->pd, h2));
	CHECK_EQ(sys_debug_cap_type(s2), 0);
	cap_slot_free(s);
	cap_slot_free(s2);
}

TEST(PD_0017, "a fault inside an attached region is resolved by core (lazy mapping)")
{
	cptr_t ds;
	word_t a;

	CHECK_OK(pd_alloc_ram(tenv->pd, 64 * 4096, &ds));
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, ATTACH_WRITE, &a));
	/* touch pages in a scattered order: each first touch is a fault core resolves */
	for (int i = 63; i >= 0; i -= 7)
		((volatile word_t *)(a + (word_t)i * 4096))[1] = (word_t)i;
	for (int i = 63; i >= 0; i -= 7)
		CHECK_EQ(((volatile word_t *)(a + (word_t)i * 4096))[1], (word_t)i);
	CHECK_OK(pd_detach(tenv->pd, a));
	/* attached again, the content is still there */
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, 0, &a));
	CHECK_EQ(((volatile word_t *)(a + 63 * 4096))[1], 63);
	CHECK_OK(pd_detach(tenv->pd, a));
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
}

TEST(PD_0018, "PD_REGION of an address in no region is NOT_FOUND")
{
	CHECK_ST(pd_region(tenv->pd, 0x1000, 0, 0, 0, 0), RPC_E_NOT_FOUND);
	CHECK_ST(pd_region(tenv->pd, ABI_USER_TOP - 1, 0, 0, 0, 0), RPC_E_NOT_FOUND);
	CHECK_OK(pd_region(tenv->pd, 0x400000, 0, 0, 0, 0));   /* our image */
}

TEST(PD_0019, "a large dataspace (9 MiB, several blocks) works end to end")
{
	cptr_t ds;
	word_t size;
	char *p = ram_map(9 << 20, &ds);

	CHECK_OK(ds_info(ds, &size, 0, 0));
	CHECK_EQ(size, 9ul << 20);
	for (word_t off = 0; off < (9ul << 20); off += 1 << 20)
		p[off + 5] = (char)(off >> 20);
	for (word_t off = 0; off < (9ul << 20); off += 1 << 20)
		CHECK_EQ(p[off + 5], (char)(off >> 20));
	ram_unmap(p, ds);
}

TEST(PD_0020, "PD_CSPACE_GROW: new ranges of slots, paid by the PD, addressable like the first")
{
	word_t id, first = 0, count = 0, first2 = 0, h, h2;
	cptr_t pd = session("PD", "grow", "", 1024 * KB, 20, &id), small;
	struct pd_quota q0 = quota_of(pd), q1;

	CHECK_OK(pd_cspace_grow(pd, &first, &count));
	CHECK_EQ(count, 1024);
	CHECK_EQ(first, 4096);
	q1 = quota_of(pd);
	/* the leaf (64 KiB) and the top level (16 KiB), as RAM like every kernel object */
	CHECK(q1.ram_used >= q0.ram_used + 80 * KB);
	CHECK_EQ(q1.cap_used, q0.cap_used);
	/* core reaches the new slots: an object there, a second one is refused */
	CHECK_OK(pd_alloc_ntfn(pd, first + 5, &h));
	CHECK_ST(pd_alloc_ep(pd, first + 5, &h2), RPC_E_EXISTS);
	CHECK_OK(pd_alloc_ep(pd, first + count - 1, &h2));
	CHECK(pd_alloc_ep(pd, first + count, &h2) != RPC_OK);   /* past the range */
	CHECK_OK(pd_alloc_ep(pd, 100, &h2));                      /* the first CNode as before */
	CHECK_OK(pd_cspace_grow(pd, &first2, &count));
	CHECK_EQ(first2, 2 * 4096);
	CHECK_OK(pd_alloc_ntfn(pd, first2, &h2));
	/* a PD of fewer than 1024 slots cannot grow */
	small = session("PD", "small", "cnode_bits=8", 400 * KB, 10, &h);
	CHECK_ST(pd_cspace_grow(small, &first, &count), RPC_E_UNAVAILABLE);
	close_session(h, small);
	close_session(id, pd);   /* everything back: the harness checks our account */
}
