/*
 * Sessions at core through the parent interface: PD sessions as accounts,
 * donations, transfers, upgrades, closing, paying PDs, quota exhaustion.
 */
#include "test.h"

#define KB 1024ul
#define PD_RAM (600 * KB)    /* enough for a 4096-slot CNode and some more */

TEST(SES_0001, "a PD session takes its donation from us; closing gives it back exactly")
{
	struct pd_quota q0 = quota_of(tenv->pd), q1, c;
	word_t id;
	cptr_t pd = session("PD", "child", "", PD_RAM, 20, &id);

	q1 = quota_of(tenv->pd);
	CHECK_EQ(q1.ram_quota, q0.ram_quota - PD_RAM);
	CHECK_EQ(q1.cap_quota, q0.cap_quota - 20);
	CHECK_EQ(q1.ram_used, q0.ram_used);
	c = quota_of(pd);
	CHECK_EQ(c.ram_quota, PD_RAM);
	CHECK_EQ(c.cap_quota, 20);
	CHECK(c.ram_used >= 256 * KB);   /* its CNode of 4096 slots at least */
	CHECK(c.ram_used < PD_RAM);
	close_session(id, pd);
	q1 = quota_of(tenv->pd);
	CHECK_EQ(q1.ram_quota, q0.ram_quota);
	CHECK_EQ(q1.cap_quota, q0.cap_quota);
}

TEST(SES_0002, "a session beyond our quota is NO_RAM_QUOTA / NO_CAP_QUOTA")
{
	struct pd_quota q = quota_of(tenv->pd);
	cptr_t cap;
	word_t id;

	CHECK_ST(try_session("PD", "big", "", q.ram_quota - q.ram_used + 1, 10, 0, &cap, &id),
		 RPC_E_NO_RAM_QUOTA);
	CHECK_ST(try_session("PD", "big", "", PD_RAM, q.cap_quota - q.cap_used + 1, 0, &cap, &id),
		 RPC_E_NO_CAP_QUOTA);
	CHECK_ST(try_session("LOG", "big", "", q.ram_quota, 2, 0, &cap, &id), RPC_E_NO_RAM_QUOTA);
}

TEST(SES_0003, "PD session arguments: cnode_bits 6..12, priority up to ours")
{
	cptr_t cap;
	word_t id;

	CHECK_ST(try_session("PD", "x", "cnode_bits=5", PD_RAM, 10, 0, &cap, &id), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("PD", "x", "cnode_bits=13", PD_RAM, 10, 0, &cap, &id), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("PD", "x", "cnode_bits=zz", PD_RAM, 10, 0, &cap, &id), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("PD", "x", "priority=255", PD_RAM, 10, 0, &cap, &id), RPC_E_DENIED);
	CHECK_OK(try_session("PD", "x", "cnode_bits=6, priority=254", 64 * KB, 10, 0, &cap, &id));
	struct pd_quota c = quota_of(cap);
	CHECK(c.ram_used < 32 * KB);   /* a 64-slot CNode is small */
	close_session(id, cap);
}

TEST(SES_0004, "a PD whose donation cannot pay for its CNode is NO_RAM_QUOTA; nothing is lost")
{
	struct pd_quota q0 = quota_of(tenv->pd), q1;
	cptr_t cap;
	word_t id;

	CHECK_ST(try_session("PD", "tiny", "", 100 * KB, 10, 0, &cap, &id), RPC_E_NO_RAM_QUOTA);
	CHECK_ST(try_session("PD", "tiny", "", PD_RAM, 1, 0, &cap, &id), RPC_E_NO_CAP_QUOTA);
	q1 = quota_of(tenv->pd);
	CHECK_EQ(q1.ram_quota, q0.ram_quota);
	CHECK_EQ(q1.cap_quota, q0.cap_quota);
}

TEST(SES_0005, "PD_TRANSFER moves quota both ways; exact numbers")
{
	struct pd_quota q0 = quota_of(tenv->pd), q1, c0, c1;
	word_t id;
	cptr_t pd = session("PD", "t", "", PD_RAM, 20, &id);

	c0 = quota_of(pd);
	CHECK_OK(pd_transfer(tenv->pd, pd, 100 * KB, 5));
	c1 = quota_of(pd);
	CHECK_EQ(c1.ram_quota, c0.ram_quota + 100 * KB);
	CHECK_EQ(c1.cap_quota, c0.cap_quota + 5);
	CHECK_OK(pd_transfer(pd, tenv->pd, 100 * KB, 5));
	c1 = quota_of(pd);
	CHECK_EQ(c1.ram_quota, c0.ram_quota);
	CHECK_OK(pd_transfer(pd, pd, 4096, 1));   /* to itself: nothing changes */
	CHECK_EQ(quota_of(pd).ram_quota, c0.ram_quota);
	close_session(id, pd);
	q1 = quota_of(tenv->pd);
	CHECK_EQ(q1.ram_quota, q0.ram_quota);
	CHECK_EQ(q1.cap_quota, q0.cap_quota);
}

TEST(SES_0006, "PD_TRANSFER of more than is available fails; a non-PD target is INVALID_CAP")
{
	word_t id;
	cptr_t pd = session("PD", "t", "", PD_RAM, 20, &id);
	struct pd_quota c = quota_of(pd);

	CHECK_ST(pd_transfer(pd, tenv->pd, c.ram_quota - c.ram_used + 1, 0), RPC_E_NO_RAM_QUOTA);
	CHECK_ST(pd_transfer(pd, tenv->pd, 0, c.cap_quota - c.cap_used + 1), RPC_E_NO_CAP_QUOTA);
	CHECK_ST(pd_transfer(pd, test_ntfn, 1, 0), RPC_E_INVALID_CAP);
	CHECK_ST(pd_transfer(pd, 0, 1, 0), RPC_E_INVALID_CAP);
	cptr_t ds;
	CHECK_OK(pd_alloc_ram(pd, 4096, &ds));
	CHECK_ST(pd_transfer(pd, ds, 1, 0), RPC_E_INVALID_CAP);
	CHECK_EQ(quota_of(pd).ram_quota, c.ram_quota);
	cap_slot_free(ds);
	close_session(id, pd);
}

TEST(SES_0007, "RAM quota exhausted inside a child PD: NO_RAM_QUOTA, the rest intact")
{
	word_t id;
	cptr_t pd = session("PD", "poor", "cnode_bits=6", 64 * KB, 20, &id);
	cptr_t ds[16];
	int n = 0;
	rpc_status_t st;

	while ((st = pd_alloc_ram(pd, 8 * KB, &ds[n])) == RPC_OK && n < 15)
		n++;
	CHECK_ST(st, RPC_E_NO_RAM_QUOTA);
	CHECK(n > 0);
	struct pd_quota c = quota_of(pd);
	CHECK(c.ram_used <= c.ram_quota);
	/* freeing one makes room again */
	CHECK_OK(pd_free_ram(pd, ds[0]));
	CHECK_OK(pd_alloc_ram(pd, 8 * KB, &ds[0]));
	for (int i = 0; i < n; i++)
		cap_slot_free(ds[i]);
	close_session(id, pd);
}

TEST(SES_0008, "capability quota exhausted inside a child PD: NO_CAP_QUOTA")
{
	word_t id;
	cptr_t pd = session("PD", "capless", "cnode_bits=6", 300 * KB, 5, &id);
	cptr_t ds[8];
	int n = 0;
	rpc_status_t st;
	word_t used0 = quota_of(pd).cap_used;

	while ((st = pd_alloc_ram(pd, 4096, &ds[n])) == RPC_OK && n < 7)
		n++;
	CHECK_ST(st, RPC_E_NO_CAP_QUOTA);
	struct pd_quota c = quota_of(pd);
	CHECK_EQ(c.cap_used, c.cap_quota);
	CHECK_EQ(n, 5 - used0);   /* one capability per dataspace */
	for (int i = 0; i < n; i++)
		cap_slot_free(ds[i]);
	close_session(id, pd);
}

TEST(SES_0009, "a closed PD session's capability is dead, close twice is NOT_FOUND")
{
	word_t id;
	cptr_t pd = session("PD", "gone", "", PD_RAM, 20, &id);
	struct pd_quota q;

	CHECK_OK(parent_close(tenv->parent, id));
	CHECK_ST(pd_quota(pd, &q), RPC_E_INVALID_CAP);
	CHECK_EQ(sys_debug_cap_type(pd), 0);
	CHECK_ST(parent_close(tenv->parent, id), RPC_E_NOT_FOUND);
	CHECK_ST(parent_close(tenv->parent, 0), RPC_E_NOT_FOUND);
	CHECK_ST(parent_close(tenv->parent, 0x123456789ul), RPC_E_NOT_FOUND);
	cap_slot_free(pd);
}

TEST(SES_0010, "destroying a PD detaches its dataspaces from our address space")
{
	word_t id, a;
	cptr_t pd = session("PD", "owner", "", PD_RAM, 20, &id), ds;

	CHECK_OK(pd_alloc_ram(pd, 2 * 4096, &ds));
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, ATTACH_WRITE, &a));
	((volatile char *)a)[4096] = 9;
	CHECK_OK(pd_region(tenv->pd, a, 0, 0, 0, 0));
	close_session(id, pd);
	CHECK_ST(pd_region(tenv->pd, a, 0, 0, 0, 0), RPC_E_NOT_FOUND);
	CHECK_ST(pd_detach(tenv->pd, a), RPC_E_NOT_FOUND);
	CHECK_EQ(sys_debug_cap_type(ds), 0);
	cap_slot_free(ds);
}

TEST(SES_0011, "PARENT_UPGRADE adds quota to a session; the whole returns on close")
{
	struct pd_quota q0 = quota_of(tenv->pd);
	word_t id;
	cptr_t pd = session("PD", "up", "", PD_RAM, 20, &id);

	CHECK_OK(parent_upgrade(tenv->parent, id, 64 * KB, 3, 0));
	CHECK_EQ(quota_of(pd).ram_quota, PD_RAM + 64 * KB);
	CHECK_EQ(quota_of(pd).cap_quota, 23);
	CHECK_EQ(quota_of(tenv->pd).ram_quota, q0.ram_quota - PD_RAM - 64 * KB);
	CHECK_ST(parent_upgrade(tenv->parent, id, q0.ram_quota, 0, 0), RPC_E_NO_RAM_QUOTA);
	CHECK_ST(parent_upgrade(tenv->parent, 999, 1, 0, 0), RPC_E_NOT_FOUND);
	close_session(id, pd);
	CHECK_EQ(quota_of(tenv->pd).ram_quota, q0.ram_quota);
}

TEST(SES_0012, "a session paid by another PD takes that PD's quota, not ours")
{
	struct pd_quota q0, q1, c0, c1;
	word_t id, lid;
	cptr_t pd = session("PD", "payer", "", PD_RAM, 20, &id), log;

	q0 = quota_of(tenv->pd);
	c0 = quota_of(pd);
	CHECK_OK(try_session("LOG", "paid", "", 8 * KB, 2, pd, &log, &lid));
	q1 = quota_of(tenv->pd);
	c1 = quota_of(pd);
	CHECK_EQ(q1.ram_quota, q0.ram_quota);
	CHECK_EQ(c1.ram_quota, c0.ram_quota - 8 * KB);
	CHECK_EQ(c1.cap_quota, c0.cap_quota - 2);
	CHECK_OK(log_write(log, "paid by another PD", 18));
	close_session(lid, log);
	CHECK_EQ(quota_of(pd).ram_quota, c0.ram_quota);
	/* a payer capability that is not a PD */
	CHECK_ST(try_session("LOG", "paid", "", 8 * KB, 2, test_ntfn, &log, &lid), RPC_E_INVALID_CAP);
	close_session(id, pd);
}

TEST(SES_0013, "destroying a paying PD closes the sessions it paid for")
{
	word_t id, lid;
	cptr_t pd = session("PD", "payer", "", PD_RAM, 20, &id), log;

	CHECK_OK(try_session("LOG", "orphan", "", 8 * KB, 2, pd, &log, &lid));
	CHECK_OK(log_write(log, "x", 1));
	close_session(id, pd);
	CHECK_ST(log_write(log, "x", 1), RPC_E_INVALID_CAP);
	CHECK_ST(parent_close(tenv->parent, lid), RPC_E_NOT_FOUND);
	cap_slot_free(log);
}

TEST(SES_0014, "unknown services are NOT_FOUND; malformed requests INVALID_ARGUMENT")
{
	cptr_t cap;
	word_t id;
	struct rpc_msg m;

	CHECK_ST(try_session("Nitpicker", "x", "", 8 * KB, 2, 0, &cap, &id), RPC_E_NOT_FOUND);
	CHECK_ST(try_session("", "x", "", 8 * KB, 2, 0, &cap, &id), RPC_E_NOT_FOUND);
	rpc_init(&m, PARENT_SESSION);   /* no words at all */
	CHECK_ST(rpc_call(tenv->parent, &m), RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, PARENT_SESSION);
	rpc_put(&m, 4096);
	rpc_put(&m, 1);
	rpc_put(&m, 1000);              /* a string length beyond the message */
	CHECK_ST(rpc_call(tenv->parent, &m), RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, PARENT_SESSION);
	rpc_put(&m, 4096);
	rpc_put(&m, 1);
	rpc_put(&m, 3);
	rpc_put(&m, 0x00474f);          /* "OG\0": a NUL inside */
	CHECK_ST(rpc_call(tenv->parent, &m), RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, PARENT_HEARTBEAT_RESPONSE);
	CHECK_ST(rpc_call(tenv->parent, &m), RPC_E_UNAVAILABLE);
	rpc_init(&m, PARENT_ANNOUNCE);
	CHECK_ST(rpc_call(tenv->parent, &m), RPC_E_UNAVAILABLE);
}

TEST(SES_0015, "closing a session by the id of a non-session object is NOT_FOUND")
{
	cptr_t ds;
	word_t h, s = cap_slot_alloc();

	CHECK_OK(pd_alloc_ntfn(tenv->pd, s, &h));
	CHECK_ST(parent_close(tenv->parent, h), RPC_E_NOT_FOUND);
	CHECK_OK(pd_free_obj(tenv->pd, h));
	cap_slot_free(s);
	CHECK_OK(pd_alloc_ram(tenv->pd, 4096, &ds));
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
}

TEST(SES_0016, "nested PDs: a PD paid by a child PD is destroyed with it, quota flows back")
{
	struct pd_quota q0 = quota_of(tenv->pd);
	word_t id, id2;
	cptr_t pd = session("PD", "outer", "", 2 * PD_RAM, 40, &id), inner;

	CHECK_OK(try_session("PD", "inner", "", PD_RAM, 10, pd, &inner, &id2));
	CHECK_EQ(quota_of(pd).ram_quota, PD_RAM);
	cptr_t ds;
	CHECK_OK(pd_alloc_ram(inner, 4096, &ds));
	close_session(id, pd);
	struct pd_quota dummy;
	CHECK_ST(pd_quota(inner, &dummy), RPC_E_INVALID_CAP);
	CHECK_ST(ds_info(ds, 0, 0, 0), RPC_E_INVALID_CAP);
	CHECK_EQ(quota_of(tenv->pd).ram_quota, q0.ram_quota);
	cap_slot_free(ds);
	cap_slot_free(inner);
}
