/*
 * Paging structures and frames: mapping order and errors, rights and
 * attributes (NX, uncached, write-combining), remap, unmap, large pages,
 * destruction, and several address spaces.
 */
#include "test.h"

#define VA(i) TEST_VA(i)
#define RW (RIGHT_READ | RIGHT_WRITE)

TEST(VSPACE_0001, "PDPT, PD, PT and a frame map; the root reads back what it wrote")
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);
	volatile word_t *p = (volatile word_t *)VA(0);

	map_tables(env, INIT_VSPACE, VA(0));
	CHECK_OK(frame_map(f, INIT_VSPACE, VA(0), RW, 0));
	for (int i = 0; i < 512; i++)
		p[i] = (word_t)i * 3;
	for (int i = 0; i < 512; i++)
		CHECK_EQ(p[i], (word_t)i * 3);
}

TEST(VSPACE_0002, "frame map without a PDPT fails with E_NOT_MAPPED, mr0 = 3")
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);

	CHECK_ST(frame_map(f, INIT_VSPACE, VA(0), RW, 0), E_NOT_MAPPED);
	CHECK_EQ(kernel_last_detail(0), 3);
}

TEST(VSPACE_0003, "frame map without a PD fails with E_NOT_MAPPED, mr0 = 2")
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);

	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), INIT_VSPACE, VA(0)));
	CHECK_ST(frame_map(f, INIT_VSPACE, VA(0), RW, 0), E_NOT_MAPPED);
	CHECK_EQ(kernel_last_detail(0), 2);
}

TEST(VSPACE_0004, "frame map without a PT fails with E_NOT_MAPPED, mr0 = 1")
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);

	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), INIT_VSPACE, VA(0)));
	CHECK_OK(pd_map(mk(env, OBJ_PD, 0), INIT_VSPACE, VA(0)));
	CHECK_ST(frame_map(f, INIT_VSPACE, VA(0), RW, 0), E_NOT_MAPPED);
	CHECK_EQ(kernel_last_detail(0), 1);
}

TEST(VSPACE_0005, "PD and PT map need their parent level (E_NOT_MAPPED with the level)")
{
	cptr_t pd = mk(env, OBJ_PD, 0);
	cptr_t pt = mk(env, OBJ_PT, 0);

	CHECK_ST(pd_map(pd, INIT_VSPACE, VA(0)), E_NOT_MAPPED);
	CHECK_EQ(kernel_last_detail(0), 3);
	CHECK_ST(pt_map(pt, INIT_VSPACE, VA(0)), E_NOT_MAPPED);
	CHECK_EQ(kernel_last_detail(0), 3);
	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), INIT_VSPACE, VA(0)));
	CHECK_ST(pt_map(pt, INIT_VSPACE, VA(0)), E_NOT_MAPPED);
	CHECK_EQ(kernel_last_detail(0), 2);
	CHECK_OK(pd_map(pd, INIT_VSPACE, VA(0)));
	CHECK_OK(pt_map(pt, INIT_VSPACE, VA(0)));
}

TEST(VSPACE_0006, "an occupied PML4/PDPT/PD entry, or a mapped table cap, gives E_MAPPED")
{
	cptr_t pdpt = mk(env, OBJ_PDPT, 0), pd = mk(env, OBJ_PD, 0), pt = mk(env, OBJ_PT, 0);

	CHECK_OK(pdpt_map(pdpt, INIT_VSPACE, VA(0)));
	CHECK_ST(pdpt_map(mk(env, OBJ_PDPT, 0), INIT_VSPACE, VA(0)), E_MAPPED);
	CHECK_ST(pdpt_map(pdpt, INIT_VSPACE, VA(0) + (1ul << 39)), E_MAPPED);
	CHECK_OK(pd_map(pd, INIT_VSPACE, VA(0)));
	CHECK_ST(pd_map(mk(env, OBJ_PD, 0), INIT_VSPACE, VA(0)), E_MAPPED);
	CHECK_ST(pd_map(pd, INIT_VSPACE, VA(0) + (1ul << 30)), E_MAPPED);
	CHECK_OK(pt_map(pt, INIT_VSPACE, VA(0)));
	CHECK_ST(pt_map(mk(env, OBJ_PT, 0), INIT_VSPACE, VA(0)), E_MAPPED);
	CHECK_ST(pt_map(pt, INIT_VSPACE, VA(0) + (1ul << 21)), E_MAPPED);
}

TEST(VSPACE_0007, "a frame vaddr that is not page aligned fails with E_ALIGNMENT")
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);

	map_tables(env, INIT_VSPACE, VA(0));
	CHECK_ST(frame_map(f, INIT_VSPACE, VA(0) + 8, RW, 0), E_ALIGNMENT);
	CHECK_ST(frame_map(f, INIT_VSPACE, VA(0) + 0x800, RW, 0), E_ALIGNMENT);
	CHECK_OK(frame_map(f, INIT_VSPACE, VA(1), RW, 0));
}

TEST(VSPACE_0008, "a vaddr at or above ABI_USER_TOP fails with E_INVALID_ARGUMENT")
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);
	cptr_t pdpt = mk(env, OBJ_PDPT, 0);

	CHECK_ST(frame_map(f, INIT_VSPACE, ABI_USER_TOP, RW, 0), E_INVALID_ARGUMENT);
	CHECK_ST(frame_map(f, INIT_VSPACE, 0xffff800000000000ul, RW, 0), E_INVALID_ARGUMENT);
	CHECK_ST(frame_map(f, INIT_VSPACE, 0xffffffff80000000ul, RW, 0), E_INVALID_ARGUMENT);
	CHECK_ST(pdpt_map(pdpt, INIT_VSPACE, ABI_USER_TOP), E_INVALID_ARGUMENT);
	CHECK_ST(pdpt_map(pdpt, INIT_VSPACE, 0xffffff8000000000ul), E_INVALID_ARGUMENT);
	CHECK_ST(pd_map(mk(env, OBJ_PD, 0), INIT_VSPACE, 0xffffffff80000000ul), E_INVALID_ARGUMENT);
}

TEST(VSPACE_0009, "a mapped frame cap cannot be mapped a second time elsewhere (E_MAPPED)")
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);

	map_tables(env, INIT_VSPACE, VA(0));
	CHECK_OK(frame_map(f, INIT_VSPACE, VA(0), RW, 0));
	CHECK_ST(frame_map(f, INIT_VSPACE, VA(1), RW, 0), E_MAPPED);
}

TEST(VSPACE_0010, "a copy of a frame cap maps the same memory at a second address")
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);
	cptr_t c = mk_copy(env, f, RIGHTS_ALL);
	volatile word_t *a = (volatile word_t *)VA(0), *b = (volatile word_t *)VA(5);

	map_tables(env, INIT_VSPACE, VA(0));
	CHECK_OK(frame_map(f, INIT_VSPACE, VA(0), RW, 0));
	CHECK_OK(frame_map(c, INIT_VSPACE, VA(5), RW, 0));
	a[7] = 0xfeed;
	CHECK_EQ(b[7], 0xfeed);
	b[100] = 0xbeef;
	CHECK_EQ(a[100], 0xbeef);
	CHECK_EQ(paddr_of(f), paddr_of(c));
}

TEST(VSPACE_0011, "mapping a second frame over an occupied PTE fails with E_MAPPED")
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0), g = mk(env, OBJ_FRAME_4K, 0);

	map_tables(env, INIT_VSPACE, VA(0));
	CHECK_OK(frame_map(f, INIT_VSPACE, VA(0), RW, 0));
	CHECK_ST(frame_map(g, INIT_VSPACE, VA(0), RW, 0), E_MAPPED);
	CHECK_ST(frame_map(INIT_IPC_BUFFER, INIT_VSPACE, VA(0), RW, 0), E_MAPPED);
}

TEST(VSPACE_0012, "remap with read-only rights: reads work, writes fault (error code P|W|U)")
{
	struct sys_msg m;
	cptr_t f = map_test_page(env, VA(0), RW, 0);

	*(volatile word_t *)VA(0) = 0x1234;
	CHECK_OK(frame_map(f, INIT_VSPACE, VA(0), RIGHT_READ, 0));
	CHECK_EQ(probe(env, VA(0), PROBE_READ, 0), 0);
	CHECK_EQ(probe_value, 0x1234);
	CHECK_EQ(probe(env, VA(0), PROBE_WRITE, &m), FAULT_PAGE);
	CHECK_EQ(m.mr[1], VA(0));
	CHECK_EQ(m.mr[2] & (FAULT_PF_PRESENT | FAULT_PF_WRITE | FAULT_PF_USER), FAULT_PF_PRESENT | FAULT_PF_WRITE | FAULT_PF_USER);
}

TEST(VSPACE_0013, "remap of a read-only mapping with write rights makes it writable")
{
	cptr_t f = map_test_page(env, VA(0), RIGHT_READ, 0);

	CHECK_EQ(probe(env, VA(0), PROBE_WRITE, 0), FAULT_PAGE);
	CHECK_OK(frame_map(f, INIT_VSPACE, VA(0), RW, 0));
	CHECK_EQ(probe(env, VA(0), PROBE_WRITE, 0), 0);
	CHECK_EQ(*(volatile word_t *)VA(0), 0x5a5a);
}

TEST(VSPACE_0014, "mapping with more rights than a read-only cap does not give write access")
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);
	cptr_t ro = mk_copy(env, f, RIGHT_READ);

	map_tables(env, INIT_VSPACE, VA(0));
	abi_error_t err = frame_map(ro, INIT_VSPACE, VA(0), RW, 0);
	CHECK(err == E_OK || err == E_NO_RIGHTS);
	if (err == E_OK) {
		CHECK_EQ(probe(env, VA(0), PROBE_WRITE, 0), FAULT_PAGE);
	} else {
		CHECK_OK(frame_map(ro, INIT_VSPACE, VA(0), RIGHT_READ, 0));
		CHECK_EQ(probe(env, VA(0), PROBE_WRITE, 0), FAULT_PAGE);
	}
	CHECK_EQ(probe(env, VA(0), PROBE_READ, 0), 0);
}

TEST(VSPACE_0015, "frames are no-execute by default; MAP_EXECUTE makes them executable")
{
	struct sys_msg m;
	cptr_t f = map_test_page(env, VA(0), RW, 0);
	cptr_t x = mk_copy(env, f, RIGHTS_ALL);

	*(volatile unsigned char *)VA(0) = 0xc3; /* ret */
	CHECK_EQ(probe(env, VA(0), PROBE_EXEC, &m), FAULT_PAGE);
	CHECK_EQ(m.mr[1], VA(0));
	CHECK_EQ(m.mr[2] & FAULT_PF_FETCH, FAULT_PF_FETCH);
	CHECK_OK(frame_map(x, INIT_VSPACE, VA(1), RIGHT_READ, MAP_EXECUTE));
	CHECK_EQ(probe(env, VA(1), PROBE_EXEC, 0), 0);
}

TEST(VSPACE_0016, "an uncached mapping reads and writes correctly")
{
	volatile word_t *p = (volatile word_t *)VA(0);

	map_test_page(env, VA(0), RW, MAP_UNCACHED);
	for (int i = 0; i < 64; i++)
		p[i] = ~(word_t)i;
	for (int i = 0; i < 64; i++)
		CHECK_EQ(p[i], ~(word_t)i);
}

TEST(VSPACE_0017, "a write-combining mapping reads and writes correctly")
{
	volatile word_t *p = (volatile word_t *)VA(0);

	map_test_page(env, VA(0), RW, MAP_WRITE_COMBINING);
	for (int i = 0; i < 64; i++)
		p[i] = (word_t)i << 8;
	__asm__ volatile("sfence" ::: "memory");
	for (int i = 0; i < 64; i++)
		CHECK_EQ(p[i], (word_t)i << 8);
}

TEST(VSPACE_0018, "after FRAME_UNMAP the page is gone: a read faults, not present")
{
	struct sys_msg m;
	cptr_t f = map_test_page(env, VA(3), RW, 0);

	*(volatile word_t *)VA(3) = 1;
	CHECK_OK(frame_unmap(f));
	CHECK_EQ(probe(env, VA(3) + 16, PROBE_READ, &m), FAULT_PAGE);
	CHECK_EQ(m.mr[1], VA(3) + 16);
	CHECK_EQ(m.mr[2] & (FAULT_PF_PRESENT | FAULT_PF_WRITE | FAULT_PF_USER), FAULT_PF_USER);
}

TEST(VSPACE_0019, "unmap of a frame that is not mapped is harmless")
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);

	CHECK_ST2(frame_unmap(f), E_OK, E_NOT_MAPPED);
	cptr_t g = map_test_page(env, VA(0), RW, 0);
	CHECK_OK(frame_unmap(g));
	CHECK_ST2(frame_unmap(g), E_OK, E_NOT_MAPPED);
}

TEST(VSPACE_0020, "an unmapped frame cap can be mapped again at another address")
{
	cptr_t f = map_test_page(env, VA(0), RW, 0);

	*(volatile word_t *)VA(0) = 0xabc;
	CHECK_OK(frame_unmap(f));
	CHECK_OK(frame_map(f, INIT_VSPACE, VA(9), RW, 0));
	CHECK_EQ(*(volatile word_t *)VA(9), 0xabc);
}

TEST(VSPACE_0021, "a 2 MiB frame maps into a PD entry without a PT")
{
	cptr_t f = mk(env, OBJ_FRAME_2M, 0);
	word_t va = ENV_TEST_VADDR + (4ul << 21);
	volatile word_t *p = (volatile word_t *)va;

	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), INIT_VSPACE, va));
	CHECK_OK(pd_map(mk(env, OBJ_PD, 0), INIT_VSPACE, va));
	CHECK_OK(frame_map(f, INIT_VSPACE, va, RW, 0));
	p[0] = 1;
	p[(1ul << 21) / 8 - 1] = 2;
	CHECK_EQ(p[0], 1);
	CHECK_EQ(p[(1ul << 21) / 8 - 1], 2);
}

TEST(VSPACE_0022, "a 2 MiB frame at a vaddr not 2 MiB aligned fails with E_ALIGNMENT")
{
	cptr_t f = mk(env, OBJ_FRAME_2M, 0);

	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), INIT_VSPACE, VA(0)));
	CHECK_OK(pd_map(mk(env, OBJ_PD, 0), INIT_VSPACE, VA(0)));
	CHECK_ST(frame_map(f, INIT_VSPACE, VA(1), RW, 0), E_ALIGNMENT);
	CHECK_ST(frame_map(f, INIT_VSPACE, VA(0) + (1ul << 20), RW, 0), E_ALIGNMENT);
}

TEST(VSPACE_0023, "a 2 MiB frame over a PD entry that holds a PT fails with E_MAPPED")
{
	cptr_t f = mk(env, OBJ_FRAME_2M, 0);

	map_tables(env, INIT_VSPACE, VA(0));
	CHECK_ST(frame_map(f, INIT_VSPACE, VA(0), RW, 0), E_MAPPED);
}

TEST(VSPACE_0024, "FRAME_GET_ADDRESS gives distinct page-aligned addresses")
{
	cptr_t a = mk(env, OBJ_FRAME_4K, 0), b = mk(env, OBJ_FRAME_4K, 0);
	cptr_t l = mk(env, OBJ_FRAME_2M, 0);
	word_t pa = paddr_of(a), pb = paddr_of(b), pl = paddr_of(l);

	CHECK(pa != pb);
	CHECK_EQ(pa & 0xfff, 0);
	CHECK_EQ(pb & 0xfff, 0);
	CHECK_EQ(pl & ((1ul << 21) - 1), 0);
	CHECK(pa < test_bootinfo->total_ram + (4ul << 30));
}

TEST(VSPACE_0025, "PT_UNMAP removes the frames below it and needs a new PT to map again")
{
	cptr_t pt = mk(env, OBJ_PT, 0);
	cptr_t f = mk(env, OBJ_FRAME_4K, 0), g = mk(env, OBJ_FRAME_4K, 0);

	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), INIT_VSPACE, VA(0)));
	CHECK_OK(pd_map(mk(env, OBJ_PD, 0), INIT_VSPACE, VA(0)));
	CHECK_OK(pt_map(pt, INIT_VSPACE, VA(0)));
	CHECK_OK(frame_map(f, INIT_VSPACE, VA(2), RW, 0));
	CHECK_OK(pt_unmap(pt));
	CHECK_EQ(probe(env, VA(2), PROBE_READ, 0), FAULT_PAGE);
	CHECK_ST(frame_map(g, INIT_VSPACE, VA(4), RW, 0), E_NOT_MAPPED);
	CHECK_EQ(kernel_last_detail(0), 1);
	CHECK_OK(pt_map(pt, INIT_VSPACE, VA(0)));
	CHECK_OK(frame_map(g, INIT_VSPACE, VA(4), RW, 0));
}

TEST(VSPACE_0026, "deleting the last cap of a mapped frame unmaps it")
{
	cptr_t f = map_test_page(env, VA(6), RW, 0);

	*(volatile word_t *)VA(6) = 5;
	CHECK_OK(cnode_delete(R, f, 64));
	CHECK_EQ(probe(env, VA(6), PROBE_READ, 0), FAULT_PAGE);
}

TEST(VSPACE_0027, "deleting a mapped PT makes its frames unreachable")
{
	cptr_t pt = mk(env, OBJ_PT, 0);
	cptr_t f = mk(env, OBJ_FRAME_4K, 0), g = mk(env, OBJ_FRAME_4K, 0);

	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), INIT_VSPACE, VA(0)));
	CHECK_OK(pd_map(mk(env, OBJ_PD, 0), INIT_VSPACE, VA(0)));
	CHECK_OK(pt_map(pt, INIT_VSPACE, VA(0)));
	CHECK_OK(frame_map(f, INIT_VSPACE, VA(1), RW, 0));
	CHECK_OK(cnode_delete(R, pt, 64));
	CHECK_EQ(probe(env, VA(1), PROBE_READ, 0), FAULT_PAGE);
	CHECK_ST(frame_map(g, INIT_VSPACE, VA(2), RW, 0), E_NOT_MAPPED);
}

TEST(VSPACE_0028, "frame map into a VSpace cap that is not a PML4 fails")
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);
	cptr_t pd = mk(env, OBJ_PD, 0);

	CHECK_ST(frame_map(f, pd, VA(0), RW, 0), E_INVALID_CAPABILITY);
	CHECK_EQ(kernel_last_detail(0), 1);
	CHECK_ST(frame_map(f, mk_slot(env), VA(0), RW, 0), E_INVALID_CAPABILITY);
	CHECK_ST(pdpt_map(mk(env, OBJ_PDPT, 0), INIT_CNODE, VA(0)), E_INVALID_CAPABILITY);
}

TEST(VSPACE_0029, "invocations on a PML4 cap fail with E_ILLEGAL_OPERATION")
{
	cptr_t pml4 = mk(env, OBJ_PML4, 0);

	CHECK_ST(kernel_invoke(pml4, PDPT_MAP, 0, 0, 0, 0, 0, 0), E_ILLEGAL_OPERATION);
	CHECK_ST(kernel_invoke(pml4, FRAME_UNMAP, 0, 0, 0, 0, 0, 0), E_ILLEGAL_OPERATION);
	CHECK_ST(frame_get_address(pml4, &(word_t){ 0 }), E_ILLEGAL_OPERATION);
}

TEST(VSPACE_0030, "FRAME_MAP with too few words or no VSpace cap is E_TRUNCATED_MESSAGE")
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);
	word_t args[3] = { VA(0), RW, 0 };
	cptr_t caps[1] = { INIT_VSPACE };

	map_tables(env, INIT_VSPACE, VA(0));
	CHECK_ST(kernel_invoke(f, FRAME_MAP, 1, args, 1, caps, 0, 0), E_TRUNCATED_MESSAGE);
	CHECK_ST(kernel_invoke(f, FRAME_MAP, 3, args, 0, 0, 0, 0), E_TRUNCATED_MESSAGE);
	CHECK_ST(kernel_invoke(mk(env, OBJ_PT, 0), PT_MAP, 1, args, 0, 0, 0, 0), E_TRUNCATED_MESSAGE);
}

TEST(VSPACE_0031, "an unmapped PDPT can be mapped again")
{
	cptr_t pdpt = mk(env, OBJ_PDPT, 0);

	CHECK_OK(pdpt_map(pdpt, INIT_VSPACE, VA(0)));
	CHECK_OK(pdpt_unmap(pdpt));
	CHECK_OK(pdpt_map(pdpt, INIT_VSPACE, VA(0) + (1ul << 39)));
	CHECK_OK(pd_map(mk(env, OBJ_PD, 0), INIT_VSPACE, VA(0) + (1ul << 39)));
}

TEST(VSPACE_0032, "PD_UNMAP cuts off everything below it")
{
	cptr_t pd = mk(env, OBJ_PD, 0);

	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), INIT_VSPACE, VA(0)));
	CHECK_OK(pd_map(pd, INIT_VSPACE, VA(0)));
	CHECK_OK(pt_map(mk(env, OBJ_PT, 0), INIT_VSPACE, VA(0)));
	CHECK_OK(frame_map(mk(env, OBJ_FRAME_4K, 0), INIT_VSPACE, VA(0), RW, 0));
	*(volatile word_t *)VA(0) = 9;
	CHECK_OK(pd_unmap(pd));
	CHECK_EQ(probe(env, VA(0), PROBE_READ, 0), FAULT_PAGE);
}

static volatile word_t remote_result;

static word_t remote_copy(word_t src, word_t done)
{
	volatile word_t *s = (volatile word_t *)src;

	/* remote_result lives in this VSpace's private copy of the image */
	s[1] = s[0] * 2;
	remote_result = 1;
	sys_signal(done);
	return 0;
}

TEST(VSPACE_0033, "a thread in a second VSpace sees a shared frame and its own data copy")
{
	struct vspace vs;
	struct thread t;
	word_t rva;
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	volatile word_t *p;

	CHECK_OK(vspace_clone(env, &vs));
	p = vspace_share(env, &vs, &rva);
	CHECK(p);
	p[0] = 21;
	remote_result = 0;
	CHECK_OK(thread_create_in(env, &t, &vs, INIT_CNODE, 0, 0, THREAD_SELF));
	CHECK_OK(thread_start(&t, remote_copy, rva, mk_mint(env, n, RIGHTS_ALL, 1), 100, 0));
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(p[1], 42);
	CHECK_EQ(remote_result, 0);  /* the root's copy is untouched */
}

TEST(VSPACE_0034, "a frame cap mapped in one VSpace cannot be mapped into another")
{
	struct vspace vs;
	cptr_t f = map_test_page(env, VA(0), RW, 0);

	CHECK_OK(vspace_clone(env, &vs));
	CHECK_ST(frame_map(f, vs.pml4, REMOTE_SHARED, RW, 0), E_MAPPED);
}

TEST(VSPACE_0035, "the same virtual address maps different frames in two VSpaces")
{
	struct vspace a, b;
	struct thread ta, tb;
	word_t ra, rb;
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	volatile word_t *pa, *pb;

	CHECK_OK(vspace_clone(env, &a));
	CHECK_OK(vspace_clone(env, &b));
	pa = vspace_share(env, &a, &ra);
	pb = vspace_share(env, &b, &rb);
	CHECK(pa && pb);
	CHECK_EQ(ra, rb);
	pa[0] = 1;
	pb[0] = 100;
	CHECK_OK(thread_create_in(env, &ta, &a, INIT_CNODE, 0, 0, THREAD_SELF));
	CHECK_OK(thread_create_in(env, &tb, &b, INIT_CNODE, 0, 0, THREAD_SELF));
	CHECK_OK(thread_start(&ta, remote_copy, ra, mk_mint(env, n, RIGHTS_ALL, 1), 100, 0));
	CHECK_OK(thread_start(&tb, remote_copy, rb, mk_mint(env, n, RIGHTS_ALL, 2), 100, 0));
	word_t seen = 0;
	while (seen != 3)
		seen |= sys_wait(n);
	CHECK_EQ(pa[1], 2);
	CHECK_EQ(pb[1], 200);
}

TEST(VSPACE_0036, "FRAME_GET_ADDRESS on a non-frame cap fails with E_ILLEGAL_OPERATION")
{
	word_t pa;

	CHECK_ST(frame_get_address(mk(env, OBJ_PT, 0), &pa), E_ILLEGAL_OPERATION);
	CHECK_ST(frame_get_address(INIT_TCB, &pa), E_ILLEGAL_OPERATION);
}

TEST(VSPACE_0037, "the root's IPC buffer and bootinfo frames have distinct addresses")
{
	word_t pa = paddr_of(INIT_IPC_BUFFER);

	CHECK_EQ(pa & 0xfff, 0);
	CHECK(pa != paddr_of(INIT_BOOTINFO_FRAME));
}

TEST(VSPACE_0038, "64 frames mapped in a row are all distinct memory")
{
	volatile word_t *p;

	for (int i = 0; i < 64; i++) {
		map_test_page(env, VA(i), RW, 0);
		p = (volatile word_t *)VA(i);
		p[0] = (word_t)i + 1;
	}
	for (int i = 0; i < 64; i++)
		CHECK_EQ(*(volatile word_t *)VA(i), (word_t)i + 1);
}

TEST(VSPACE_0039, "the boot info page is read-only for the root task")
{
	struct sys_msg m;

	CHECK_EQ(probe(env, ROOT_BOOTINFO_VADDR, PROBE_READ, 0), 0);
	CHECK_EQ(probe_value, BOOTINFO_MAGIC);
	CHECK_EQ(probe(env, ROOT_BOOTINFO_VADDR + 64, PROBE_WRITE, &m), FAULT_PAGE);
	CHECK_EQ(m.mr[2] & 3, 3);
}

/* Map again after the VSpace the cap was mapped in was destroyed: either at
 * once, or after an unmap of the stale mapping. */
static abi_error_t remap_after_destroy(cptr_t f, word_t va)
{
	abi_error_t err = frame_map(f, INIT_VSPACE, va, RW, 0);

	if (err != E_MAPPED)
		return err;
	err = frame_unmap(f);
	if (err != E_OK && err != E_NOT_MAPPED)
		return err;
	return frame_map(f, INIT_VSPACE, va, RW, 0);
}

TEST(VSPACE_0040, "frames mapped in a destroyed VSpace can be mapped again elsewhere")
{
	cptr_t pml4 = mk(env, OBJ_PML4, 0);
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);
	cptr_t pt = mk(env, OBJ_PT, 0);

	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), pml4, 0x40000000));
	CHECK_OK(pd_map(mk(env, OBJ_PD, 0), pml4, 0x40000000));
	CHECK_OK(pt_map(pt, pml4, 0x40000000));
	CHECK_OK(frame_map(f, pml4, 0x40000000, RW, 0));
	CHECK_OK(cnode_delete(R, pml4, 64));
	map_tables(env, INIT_VSPACE, VA(0));
	CHECK_OK(remap_after_destroy(f, VA(0)));
	*(volatile word_t *)VA(0) = 3;
	CHECK_EQ(*(volatile word_t *)VA(0), 3);
}

TEST(VSPACE_0042, "unmapping a frame whose paging structures were destroyed and reused is safe")
{
	cptr_t ut = mk_untyped(env, 14);
	cptr_t first = mk_slot(env);
	cptr_t f;
	volatile word_t *p[4];

	for (int i = 1; i < 4; i++)
		CHECK_EQ(mk_slot(env), first + i);
	f = mk(env, OBJ_FRAME_4K, 0);
	/* PML4, PDPT, PD, PT fill the 16 KiB untyped */
	CHECK_OK(untyped_retype(ut, OBJ_PML4, 0, R, 0, 0, first, 1));
	CHECK_OK(untyped_retype(ut, OBJ_PDPT, 0, R, 0, 0, first + 1, 1));
	CHECK_OK(untyped_retype(ut, OBJ_PD, 0, R, 0, 0, first + 2, 1));
	CHECK_OK(untyped_retype(ut, OBJ_PT, 0, R, 0, 0, first + 3, 1));
	CHECK_OK(pdpt_map(first + 1, first, 0x40000000));
	CHECK_OK(pd_map(first + 2, first, 0x40000000));
	CHECK_OK(pt_map(first + 3, first, 0x40000000));
	CHECK_OK(frame_map(f, first, 0x40000000, RW, 0));
	for (int i = 0; i < 4; i++)
		CHECK_OK(cnode_delete(R, first + i, 64));
	/* the same memory as frames full of plausible-looking entries */
	CHECK_OK(untyped_retype(ut, OBJ_FRAME_4K, 0, R, 0, 0, first, 4));
	for (int i = 0; i < 4; i++) {
		p[i] = env_map(env, first + i, RW);
		CHECK(p[i]);
		for (int j = 0; j < 512; j++)
			p[i][j] = paddr_of(first + (i + 1) % 4) | 0x7;
	}
	CHECK_ST2(frame_unmap(f), E_OK, E_NOT_MAPPED);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 512; j++)
			CHECK_EQ(p[i][j], paddr_of(first + (i + 1) % 4) | 0x7);
	map_tables(env, INIT_VSPACE, VA(0));
	CHECK_OK(frame_map(f, INIT_VSPACE, VA(0), RW, 0));
}

TEST(VSPACE_0041, "a 2 MiB frame unmapped and mapped at another 2 MiB address keeps its data")
{
	cptr_t f = mk(env, OBJ_FRAME_2M, 0);
	word_t va = ENV_TEST_VADDR + (4ul << 21), vb = ENV_TEST_VADDR + (9ul << 21);

	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), INIT_VSPACE, va));
	CHECK_OK(pd_map(mk(env, OBJ_PD, 0), INIT_VSPACE, va));
	CHECK_OK(frame_map(f, INIT_VSPACE, va, RW, 0));
	*(volatile word_t *)(va + 0x12340) = 0x600d;
	CHECK_OK(frame_unmap(f));
	CHECK_EQ(probe(env, va, PROBE_READ, 0), FAULT_PAGE);
	CHECK_OK(frame_map(f, INIT_VSPACE, vb, RW, 0));
	CHECK_EQ(*(volatile word_t *)(vb + 0x12340), 0x600d);
}

#define PAGE_SIZE (1ul << OBJ_PAGE_BITS)

/* A PDPT and a PD for va in vspace. */
static void map_upper(struct env *env, cptr_t vspace, word_t va)
{
	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), vspace, va));
	CHECK_OK(pd_map(mk(env, OBJ_PD, 0), vspace, va));
}

/* Frame f's untyped (exactly one page) is revoked and retyped into a
 * CNode: kernel memory now, where f's page was. */
static void reuse_as_cnode(struct env *env, cptr_t ut, cptr_t f)
{
	CHECK_OK(cnode_delete(R, f, 64));
	CHECK_OK(cnode_revoke(R, ut, 64));
	CHECK_OK(untyped_retype(ut, OBJ_CNODE, OBJ_PAGE_BITS - OBJ_CNODE_SLOT_BITS, R, 0, 0,
				 mk_slot(env), 1));
}

TEST(VSPACE_0043, "an unmapped PT is empty when mapped again elsewhere: a frame it held, since retyped, is not reachable")
{
	cptr_t ut = mk_untyped(env, OBJ_PAGE_BITS);
	cptr_t f = mk_slot(env), pt = mk(env, OBJ_PT, 0);
	word_t va = VA(0), vb = VA(0) + (1ul << 30);   /* another PD of the same PDPT */

	CHECK_OK(untyped_retype(ut, OBJ_FRAME_4K, 0, R, 0, 0, f, 1));
	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), INIT_VSPACE, va));
	CHECK_OK(pd_map(mk(env, OBJ_PD, 0), INIT_VSPACE, va));
	CHECK_OK(pd_map(mk(env, OBJ_PD, 0), INIT_VSPACE, vb));
	CHECK_OK(pt_map(pt, INIT_VSPACE, va));
	CHECK_OK(frame_map(f, INIT_VSPACE, va + 3 * PAGE_SIZE, RW, 0));
	*(volatile word_t *)(va + 3 * PAGE_SIZE) = 0x5eed;
	CHECK_OK(pt_unmap(pt));
	/* the frame's cap can no longer find its entry: its memory goes back
	 * to the untyped and becomes a kernel object */
	CHECK_ST2(frame_unmap(f), E_OK, E_NOT_MAPPED);
	reuse_as_cnode(env, ut, f);
	CHECK_OK(pt_map(pt, INIT_VSPACE, vb));
	CHECK_EQ(probe(env, vb + 3 * PAGE_SIZE, PROBE_READ, 0), FAULT_PAGE);
	/* the entry is empty: a new frame maps there */
	CHECK_OK(frame_map(mk(env, OBJ_FRAME_4K, 0), INIT_VSPACE, vb + 3 * PAGE_SIZE, RW, 0));
}

TEST(VSPACE_0044, "a PT of a destroyed VSpace is empty when unmapped and mapped into another one")
{
	cptr_t pml4 = mk(env, OBJ_PML4, 0), pt = mk(env, OBJ_PT, 0);
	cptr_t ut = mk_untyped(env, OBJ_PAGE_BITS), f = mk_slot(env);
	word_t old = 0x40000000;

	CHECK_OK(untyped_retype(ut, OBJ_FRAME_4K, 0, R, 0, 0, f, 1));
	map_upper(env, pml4, old);
	CHECK_OK(pt_map(pt, pml4, old));
	CHECK_OK(frame_map(f, pml4, old + 5 * PAGE_SIZE, RW, 0));
	CHECK_OK(cnode_delete(R, pml4, 64));   /* the VSpace goes; its tables stay */
	CHECK_ST2(frame_unmap(f), E_OK, E_NOT_MAPPED);
	reuse_as_cnode(env, ut, f);
	CHECK_OK(pt_unmap(pt));
	map_upper(env, INIT_VSPACE, VA(0));
	CHECK_OK(pt_map(pt, INIT_VSPACE, VA(0)));
	CHECK_EQ(probe(env, VA(0) + 5 * PAGE_SIZE, PROBE_READ, 0), FAULT_PAGE);
	CHECK_OK(frame_map(mk(env, OBJ_FRAME_4K, 0), INIT_VSPACE, VA(0) + 5 * PAGE_SIZE, RW, 0));
}

TEST(VSPACE_0045, "an unmapped PD is empty when mapped again elsewhere: the PT and frame it held are not reachable")
{
	cptr_t pd = mk(env, OBJ_PD, 0), pt = mk(env, OBJ_PT, 0);
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);
	word_t va = VA(0), vb = VA(0) + (1ul << 30);

	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), INIT_VSPACE, va));
	CHECK_OK(pd_map(pd, INIT_VSPACE, va));
	CHECK_OK(pt_map(pt, INIT_VSPACE, va));
	CHECK_OK(frame_map(f, INIT_VSPACE, va + 7 * PAGE_SIZE, RW, 0));
	*(volatile word_t *)(va + 7 * PAGE_SIZE) = 0x5eed;
	CHECK_OK(pd_unmap(pd));
	CHECK_OK(pd_map(pd, INIT_VSPACE, vb));
	CHECK_EQ(probe(env, vb + 7 * PAGE_SIZE, PROBE_READ, 0), FAULT_PAGE);
	/* its entries are empty: a new PT maps where the old one was */
	CHECK_OK(pt_map(mk(env, OBJ_PT, 0), INIT_VSPACE, vb));
	/* the old PT and frame caps still work once unmapped */
	CHECK_OK(pt_unmap(pt));
	CHECK_OK(frame_unmap(f));
	CHECK_OK(pt_map(pt, INIT_VSPACE, vb + (1ul << 21)));
	CHECK_OK(frame_map(f, INIT_VSPACE, vb + (1ul << 21), RW, 0));
	CHECK_EQ(*(volatile word_t *)(vb + (1ul << 21)), 0x5eed);
}

TEST(VSPACE_0046, "only one cap of a table may be mapped: a copy gives E_MAPPED until the first is unmapped")
{
	cptr_t pdpt = mk(env, OBJ_PDPT, 0), pd = mk(env, OBJ_PD, 0), pt = mk(env, OBJ_PT, 0);
	cptr_t pdpt2 = mk_copy(env, pdpt, RIGHTS_ALL), pd2 = mk_copy(env, pd, RIGHTS_ALL);
	cptr_t pt2 = mk_copy(env, pt, RIGHTS_ALL);
	word_t va = VA(0), vb = VA(0) + (1ul << 39);   /* two PML4 entries */

	CHECK_OK(pdpt_map(pdpt, INIT_VSPACE, va));
	CHECK_ST(pdpt_map(pdpt2, INIT_VSPACE, vb), E_MAPPED);
	CHECK_OK(pdpt_unmap(pdpt));
	CHECK_OK(pdpt_map(pdpt2, INIT_VSPACE, vb));
	CHECK_ST(pdpt_map(pdpt, INIT_VSPACE, va), E_MAPPED);

	CHECK_OK(pd_map(pd, INIT_VSPACE, vb));
	CHECK_ST(pd_map(pd2, INIT_VSPACE, vb + (1ul << 30)), E_MAPPED);
	CHECK_OK(pd_unmap(pd));
	CHECK_OK(pd_map(pd2, INIT_VSPACE, vb + (1ul << 30)));
	CHECK_ST(pd_map(pd, INIT_VSPACE, vb), E_MAPPED);

	CHECK_OK(pt_map(pt, INIT_VSPACE, vb + (1ul << 30)));
	CHECK_ST(pt_map(pt2, INIT_VSPACE, vb + (1ul << 30) + (1ul << 21)), E_MAPPED);
	CHECK_OK(pt_unmap(pt));
	CHECK_OK(pt_map(pt2, INIT_VSPACE, vb + (1ul << 30) + (1ul << 21)));
	CHECK_ST(pt_map(pt, INIT_VSPACE, vb + (1ul << 30)), E_MAPPED);
	/* and the table mapped through the copy works */
	CHECK_OK(frame_map(mk(env, OBJ_FRAME_4K, 0), INIT_VSPACE, vb + (1ul << 30) + (1ul << 21), RW, 0));
	*(volatile word_t *)(vb + (1ul << 30) + (1ul << 21)) = 1;
}
