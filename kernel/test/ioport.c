/*
 * I/O port capabilities: issue rules and range checks for every access
 * width, on the CMOS (0x70-0x71) and PCI configuration (0xcf8-0xcff) ports.
 */
#include "test.h"

static cptr_t issue(struct env *env, word_t first, word_t last)
{
	cptr_t s = mk_slot(env);

	CHECK_OK(ioport_control_issue(INIT_IOPORT_CONTROL, first, last, R, s, 64));
	CHECK_EQ(cap_type(s), CAP_IOPORT);
	return s;
}

TEST(IOPORT_0001, "an issued CMOS port cap reads the RTC registers")
{
	cptr_t p = issue(env, 0x70, 0x71);
	word_t v = 0xffff;

	CHECK_OK(ioport_out8(p, 0x70, 0x8a));
	CHECK_OK(ioport_in8(p, 0x71, &v));
	CHECK(v <= 0xff);
	CHECK_EQ(v & 0x70, 0x20);   /* divider bits: 32.768 kHz time base */
	CHECK_OK(ioport_out8(p, 0x70, 0x80));
	CHECK_OK(ioport_in8(p, 0x71, &v));
	CHECK(v <= 0x59);           /* seconds */
}

TEST(IOPORT_0002, "issue with first > last fails with E_RANGE")
{
	cptr_t s = mk_slot(env);

	CHECK_ST(ioport_control_issue(INIT_IOPORT_CONTROL, 0x71, 0x70, R, s, 64), E_RANGE);
	CHECK_EQ(cap_type(s), 0);
}

TEST(IOPORT_0003, "issue with last > 0xffff fails with E_RANGE")
{
	cptr_t s = mk_slot(env);

	CHECK_ST(ioport_control_issue(INIT_IOPORT_CONTROL, 0xfff0, 0x10000, R, s, 64), E_RANGE);
	CHECK_ST(ioport_control_issue(INIT_IOPORT_CONTROL, 0x10000, 0x10000, R, s, 64), E_RANGE);
	CHECK_EQ(cap_type(s), 0);
}

TEST(IOPORT_0004, "8-bit access outside the cap's range fails with E_RANGE")
{
	cptr_t p = issue(env, 0x70, 0x71);
	word_t v;

	CHECK_ST(ioport_in8(p, 0x72, &v), E_RANGE);
	CHECK_ST(ioport_in8(p, 0x6f, &v), E_RANGE);
	CHECK_ST(ioport_out8(p, 0x80, 0), E_RANGE);
	CHECK_ST(ioport_out8(p, 0x3f8, 'X'), E_RANGE);
	CHECK_ST(ioport_in8(p, 0x10070, &v), E_RANGE);
}

TEST(IOPORT_0005, "wider accesses must fit in the range as a whole")
{
	cptr_t p = issue(env, 0x70, 0x71);
	word_t v;

	CHECK_ST(ioport_in16(p, 0x71, &v), E_RANGE);
	CHECK_ST(ioport_in32(p, 0x70, &v), E_RANGE);
	CHECK_ST(ioport_out16(p, 0x71, 0), E_RANGE);
	CHECK_ST(ioport_out32(p, 0x70, 0), E_RANGE);
}

TEST(IOPORT_0006, "32-bit PCI configuration access reads the host bridge vendor")
{
	cptr_t p = issue(env, 0xcf8, 0xcff);
	word_t v = 0;

	CHECK_OK(ioport_out32(p, 0xcf8, 0x80000000));
	CHECK_OK(ioport_in32(p, 0xcfc, &v));
	CHECK_EQ(v & 0xffff, 0x8086);
	CHECK_OK(ioport_in16(p, 0xcfc, &v));
	CHECK_EQ(v, 0x8086);
	CHECK_OK(ioport_in8(p, 0xcfd, &v));
	CHECK_EQ(v, 0x80);
	CHECK_OK(ioport_in32(p, 0xcf8, &v));
	CHECK_EQ(v, 0x80000000);
}

TEST(IOPORT_0007, "issue into an occupied slot fails with E_DELETE_FIRST")
{
	cptr_t occ = mk(env, OBJ_NOTIFICATION, 0);

	CHECK_ST(ioport_control_issue(INIT_IOPORT_CONTROL, 0x70, 0x71, R, occ, 64), E_DELETE_FIRST);
	CHECK_EQ(cap_type(occ), OBJ_NOTIFICATION);
}

TEST(IOPORT_0008, "issue on an I/O port cap (not the control cap) is E_ILLEGAL_OPERATION")
{
	cptr_t p = issue(env, 0x70, 0x71);
	cptr_t s = mk_slot(env);

	CHECK_ST(ioport_control_issue(p, 0x70, 0x71, R, s, 64), E_ILLEGAL_OPERATION);
	CHECK_ST(ioport_control_issue(INIT_TCB, 0x70, 0x71, R, s, 64), E_ILLEGAL_OPERATION);
	CHECK_EQ(cap_type(s), 0);
}

TEST(IOPORT_0009, "port access through a non-port cap is E_ILLEGAL_OPERATION")
{
	word_t v;

	CHECK_ST(ioport_in8(INIT_TCB, 0x70, &v), E_ILLEGAL_OPERATION);
	CHECK_ST(ioport_in8(INIT_IOPORT_CONTROL, 0x70, &v), E_ILLEGAL_OPERATION);
	CHECK_ST(ioport_out8(INIT_CNODE, 0x70, 0), E_ILLEGAL_OPERATION);
}

TEST(IOPORT_0010, "a copy of a port cap works; revoking the original removes it")
{
	cptr_t p = issue(env, 0x70, 0x71);
	cptr_t c = mk_copy(env, p, RIGHTS_ALL);
	word_t v;

	CHECK_OK(ioport_out8(c, 0x70, 0x8a));
	CHECK_OK(ioport_in8(c, 0x71, &v));
	CHECK_OK(cnode_revoke(R, p, 64));
	CHECK_EQ(cap_type(c), 0);
	CHECK_OK(ioport_in8(p, 0x71, &v));
}

TEST(IOPORT_0011, "a one-port cap allows exactly that port")
{
	cptr_t p = issue(env, 0x80, 0x80);
	word_t v;

	CHECK_OK(ioport_out8(p, 0x80, 0x12));
	CHECK_OK(ioport_in8(p, 0x80, &v));
	CHECK_ST(ioport_in8(p, 0x81, &v), E_RANGE);
	CHECK_ST(ioport_in16(p, 0x80, &v), E_RANGE);
}

TEST(IOPORT_0012, "port invocations with too few words are E_TRUNCATED_MESSAGE")
{
	cptr_t p = issue(env, 0x70, 0x71);
	word_t args[2] = { 0x70, 0 };

	CHECK_ST(kernel_invoke(p, IOPORT_IN8, 0, args, 0, 0, 0, 0), E_TRUNCATED_MESSAGE);
	CHECK_ST(kernel_invoke(p, IOPORT_OUT8, 1, args, 0, 0, 0, 0), E_TRUNCATED_MESSAGE);
	CHECK_ST(kernel_invoke(INIT_IOPORT_CONTROL, IOPORT_CONTROL_ISSUE, 2, args, 0, 0, 0, 0),
		   E_TRUNCATED_MESSAGE);
}
