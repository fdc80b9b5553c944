/*
 * Device sessions: IO_PORT (CMOS RTC ports, PIT), IO_MEM (the HPET's
 * registers), IRQ (the PIT's interrupt on IOAPIC GSI 2, an MSI); each is
 * exclusive, and what core may not hand out is refused.
 */
#include "test.h"

#define KB 1024ul
#define IO_RAM (8 * KB)
#define IO_CAPS 4

static cptr_t port_session(const char *args, word_t *id)
{
	return session("IO_PORT", "io", args, IO_RAM, IO_CAPS, id);
}

TEST(IOP_0001, "IO_PORT: the CMOS RTC through core (IN/OUT) and through the kernel cap")
{
	word_t id, v;
	cptr_t s = port_session("base=0x70, size=2", &id), cap;

	CHECK_OK(io_port_out(s, 0x70, 1, 0x0d));   /* status register D */
	CHECK_OK(io_port_in(s, 0x71, 1, &v));
	CHECK_EQ(v & 0x80, 0x80);                  /* "valid RAM and time" */
	CHECK_OK(io_port_cap(s, &cap));
	CHECK_EQ(sys_debug_cap_type(cap), CAP_IOPORT);
	CHECK_EQ(ioport_out8(cap, 0x70, 0x0d), E_OK);
	CHECK_EQ(ioport_in8(cap, 0x71, &v), E_OK);
	CHECK_EQ(v & 0x80, 0x80);
	CHECK_EQ(ioport_in8(cap, 0x72, &v), E_RANGE);   /* the kernel cap covers only the range */
	close_session(id, s);
	CHECK_EQ(sys_debug_cap_type(cap), 0);           /* revoked with the session */
	cap_slot_free(cap);
}

TEST(IOP_0002, "IO_PORT ranges are exclusive: overlaps are BUSY until the holder closes")
{
	word_t id, id2;
	cptr_t s = port_session("base=0x70, size=2", &id), s2;

	CHECK_ST(try_session("IO_PORT", "io", "base=0x71, size=1", IO_RAM, IO_CAPS, 0, &s2, &id2), RPC_E_BUSY);
	CHECK_ST(try_session("IO_PORT", "io", "base=0x60, size=0x20", IO_RAM, IO_CAPS, 0, &s2, &id2), RPC_E_BUSY);
	CHECK_OK(try_session("IO_PORT", "io", "base=0x72, size=2", IO_RAM, IO_CAPS, 0, &s2, &id2));
	close_session(id2, s2);
	close_session(id, s);
	s2 = port_session("base=0x71, size=1", &id2);
	close_session(id2, s2);
}

TEST(IOP_0003, "IO_PORT: COM1 is DENIED; bad ranges and accesses are INVALID_ARGUMENT")
{
	word_t id, v;
	cptr_t s;

	CHECK_ST(try_session("IO_PORT", "io", "base=0x3f8, size=1", IO_RAM, IO_CAPS, 0, &s, &id), RPC_E_DENIED);
	CHECK_ST(try_session("IO_PORT", "io", "base=0x3f0, size=0x10", IO_RAM, IO_CAPS, 0, &s, &id), RPC_E_DENIED);
	CHECK_ST(try_session("IO_PORT", "io", "base=0x70, size=0", IO_RAM, IO_CAPS, 0, &s, &id), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("IO_PORT", "io", "base=0xffff, size=2", IO_RAM, IO_CAPS, 0, &s, &id), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("IO_PORT", "io", "size=2", IO_RAM, IO_CAPS, 0, &s, &id), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("IO_PORT", "io", "base=0x70, size=2", 100, IO_CAPS, 0, &s, &id), RPC_E_NO_RAM_QUOTA);
	s = port_session("base=0x70, size=2", &id);
	CHECK_ST(io_port_in(s, 0x72, 1, &v), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(io_port_in(s, 0x71, 2, &v), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(io_port_in(s, 0x70, 3, &v), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(io_port_out(s, 0x6f, 1, 0), RPC_E_INVALID_ARGUMENT);
	close_session(id, s);
}

#define HPET 0xfed00000ul

TEST(IOM_0001, "IO_MEM: the HPET's registers as an uncached dataspace")
{
	word_t id, size, base, dsize, flags, phys, a;
	cptr_t s = session("IO_MEM", "hpet", "base=0xfed00000, size=0x1000", IO_RAM, IO_CAPS, &id), ds;

	CHECK_OK(io_mem_dataspace(s, &ds, &size, &base));
	CHECK_EQ(size, 4096);
	CHECK_EQ(base, HPET);
	CHECK_OK(ds_info(ds, &dsize, &flags, &phys));
	CHECK_EQ(phys, HPET);
	CHECK(flags & DS_IO_MEM);
	CHECK(flags & DS_UNCACHED);
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, ATTACH_WRITE, &a));
	uint64_t cap = *(volatile uint64_t *)a;
	CHECK((cap & 0xff) != 0);                            /* revision */
	CHECK((cap >> 32) != 0 && (cap >> 32) <= 100000000); /* period in fs */
	CHECK_OK(pd_detach(tenv->pd, a));
	cap_slot_free(ds);
	close_session(id, s);
}

TEST(IOM_0002, "IO_MEM is exclusive; RAM is DENIED, memory core lacks NOT_FOUND, bad args fail")
{
	word_t id, id2;
	cptr_t s = session("IO_MEM", "hpet", "base=0xfed00000, size=0x1000", IO_RAM, IO_CAPS, &id), s2;

	CHECK_ST(try_session("IO_MEM", "x", "base=0xfed00000, size=0x2000", IO_RAM, IO_CAPS, 0, &s2, &id2), RPC_E_BUSY);
	close_session(id, s);
	s = session("IO_MEM", "hpet", "base=0xfed00000, size=0x2000", IO_RAM, IO_CAPS, &id);
	close_session(id, s);
	/* free RAM, wherever the machine has it: a page of ours, given back */
	cptr_t ram, dma;
	word_t phys, idd;
	char args[64];
	CHECK_OK(pd_alloc_ram(tenv->pd, 4096, &ram));
	dma = session("DMA", "x", "", IO_RAM, IO_CAPS, &idd);
	CHECK_OK(dma_phys(dma, ram, 0, &phys, 0));
	close_session(idd, dma);
	CHECK_OK(pd_free_ram(tenv->pd, ram));
	cap_slot_free(ram);
	snprintf(args, sizeof(args), "base=0x%lx, size=0x1000", phys);
	CHECK_ST(try_session("IO_MEM", "x", args, IO_RAM, IO_CAPS, 0, &s2, &id2), RPC_E_DENIED);
	CHECK_ST(try_session("IO_MEM", "x", "base=0xfec00000, size=0x1000", IO_RAM, IO_CAPS, 0, &s2, &id2), RPC_E_NOT_FOUND);
	CHECK_ST(try_session("IO_MEM", "x", "base=0xfee00000, size=0x1000", IO_RAM, IO_CAPS, 0, &s2, &id2), RPC_E_NOT_FOUND);
	CHECK_ST(try_session("IO_MEM", "x", "base=0xfed00010, size=0x1000", IO_RAM, IO_CAPS, 0, &s2, &id2), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("IO_MEM", "x", "base=0xfed00000, size=0", IO_RAM, IO_CAPS, 0, &s2, &id2), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("IO_MEM", "x", "base=0xfed00000", IO_RAM, IO_CAPS, 0, &s2, &id2), RPC_E_INVALID_ARGUMENT);
	/* freed again after every failure: the range can be had */
	s = session("IO_MEM", "hpet", "base=0xfed00000, size=0x1000", IO_RAM, IO_CAPS, &id);
	close_session(id, s);
}

TEST(IOM_0003, "closing an IO_MEM session detaches its dataspace everywhere")
{
	word_t id, a;
	cptr_t s = session("IO_MEM", "hpet", "base=0xfed00000, size=0x1000, wc=yes", IO_RAM, IO_CAPS, &id), ds;
	word_t flags;

	CHECK_OK(io_mem_dataspace(s, &ds, 0, 0));
	CHECK_OK(ds_info(ds, 0, &flags, 0));
	CHECK(flags & DS_WRITE_COMBINED);
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, 0, &a));
	close_session(id, s);
	CHECK_ST(pd_region(tenv->pd, a, 0, 0, 0, 0), RPC_E_NOT_FOUND);
	CHECK_ST(ds_info(ds, 0, 0, 0), RPC_E_INVALID_CAP);
	cap_slot_free(ds);
}

/* PIT channel 0 as a rate generator (mode 2) at about 1 kHz. */
static void pit_start(cptr_t pit)
{
	CHECK_OK(io_port_out(pit, 0x43, 1, 0x34));
	CHECK_OK(io_port_out(pit, 0x40, 1, 1193 & 0xff));
	CHECK_OK(io_port_out(pit, 0x40, 1, 1193 >> 8));
}

/* Stop it: mode 0 with a count that is never reloaded. */
static void pit_stop(cptr_t pit)
{
	CHECK_OK(io_port_out(pit, 0x43, 1, 0x30));
	CHECK_OK(io_port_out(pit, 0x40, 1, 0));
	CHECK_OK(io_port_out(pit, 0x40, 1, 0));
}

/* Channel 0's current count (latched). */
static word_t pit_count(cptr_t pit)
{
	word_t lo = 0, hi = 0;

	CHECK_OK(io_port_out(pit, 0x43, 1, 0x00));
	CHECK_OK(io_port_in(pit, 0x40, 1, &lo));
	CHECK_OK(io_port_in(pit, 0x40, 1, &hi));
	return (lo & 0xff) | (hi & 0xff) << 8;
}

/* Return once the running PIT has begun `n` new periods: in mode 2 the
 * count goes down and is reloaded when a period ends (which raises GSI 2),
 * so a count above the one read before means at least one period ended
 * in between. Reads further apart than a period may miss some, which only
 * makes this wait longer. */
static void pit_periods(cptr_t pit, int n)
{
	word_t prev = pit_count(pit);

	for (long reads = 0; n > 0; reads++) {
		word_t c = pit_count(pit);
		if (c > prev)
			n--;
		prev = c;
		if (reads > 100000)   /* that many reads and no reload: the PIT does not count */
			test_fail(__FILE__, __LINE__, "the PIT's count was not seen to reload");
	}
}

TEST(IRQ_0001, "IRQ: the PIT's interrupt (GSI 2) arrives as a signal, again after each ack")
{
	word_t idp, idi;
	cptr_t pit = port_session("base=0x40, size=4", &idp);
	cptr_t irq = session("IRQ", "pit", "irq=2", IO_RAM, IO_CAPS, &idi);
	word_t type, number;

	CHECK_OK(irq_info(irq, &type, &number, 0, 0));
	CHECK_EQ(type, 0);
	CHECK_EQ(number, 2);
	/* The firmware leaves channel 0 running (SeaBIOS in mode 2, OVMF in
	 * mode 3), so the line may fire as soon as IRQ_SIGH opens it, and each
	 * interrupt masks it until IRQ_ACK: a signal taken without an ack (a
	 * poll after IRQ_SIGH to drop stale ones, say) leaves every later wait
	 * hanging (IRQ_0004). So stale signals go before the line opens, the
	 * PIT is set first, so that the first signal is always an interrupt
	 * that came after IRQ_SIGH, and every wait is followed by an ack. */
	sys_poll(test_ntfn);
	pit_start(pit);
	CHECK_OK(irq_sigh(irq, test_ntfn));
	for (int i = 0; i < 4; i++) {
		wait_signal();
		CHECK_OK(irq_ack(irq));
	}
	pit_stop(pit);
	close_session(idi, irq);
	close_session(idp, pit);
	sys_poll(test_ntfn);
}

TEST(IRQ_0002, "IRQ sessions are exclusive per line; bad arguments fail")
{
	word_t id, id2;
	cptr_t q = session("IRQ", "x", "irq=5, trigger=level, polarity=low", IO_RAM, IO_CAPS, &id), q2;

	CHECK_ST(try_session("IRQ", "x", "irq=5", IO_RAM, IO_CAPS, 0, &q2, &id2), RPC_E_BUSY);
	CHECK_ST(try_session("IRQ", "x", "irq=64", IO_RAM, IO_CAPS, 0, &q2, &id2), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("IRQ", "x", "irq=63", IO_RAM, IO_CAPS, 0, &q2, &id2), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("IRQ", "x", "", IO_RAM, IO_CAPS, 0, &q2, &id2), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("IRQ", "x", "irq=6, trigger=both", IO_RAM, IO_CAPS, 0, &q2, &id2), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("IRQ", "x", "irq=6, polarity=up", IO_RAM, IO_CAPS, 0, &q2, &id2), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("IRQ", "x", "type=pci", IO_RAM, IO_CAPS, 0, &q2, &id2), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(irq_sigh(q, COMPONENT_MAIN_EP), RPC_E_INVALID_CAP);
	CHECK_ST(irq_sigh(q, tenv->pd), RPC_E_INVALID_CAP);
	CHECK_OK(irq_sigh(q, test_ntfn));
	CHECK_OK(irq_sigh(q, 0));
	close_session(id, q);
	q2 = session("IRQ", "x", "irq=5", IO_RAM, IO_CAPS, &id2);
	close_session(id2, q2);
}

TEST(IRQ_0003, "an MSI session: core picks a free vector, distinct per session")
{
	word_t id, id2, type, n1, n2, addr, data;
	cptr_t q = session("IRQ", "msi", "type=msi", IO_RAM, IO_CAPS, &id);
	cptr_t q2 = session("IRQ", "msi", "type=msi", IO_RAM, IO_CAPS, &id2);

	CHECK_OK(irq_info(q, &type, &n1, &addr, &data));
	CHECK_EQ(type, 1);
	CHECK_EQ(addr & 0xfff00000ul, 0xfee00000ul);
	CHECK_EQ(data, 0x70 + n1);
	CHECK_OK(irq_info(q2, &type, &n2, 0, 0));
	CHECK(n1 != n2);
	close_session(id, q);
	close_session(id2, q2);
}

TEST(IRQ_0005, "MSI: 64 sessions at once (a device's many vectors), each its own vector 0x70..0xaf; the 65th BUSY")
{
	static word_t ids[64];
	static cptr_t qs[64];
	uint64_t seen = 0;
	word_t type, n, addr, data, id;
	cptr_t q;

	for (int i = 0; i < 64; i++) {
		qs[i] = session("IRQ", "virtio", "type=msi", IO_RAM, IO_CAPS, &ids[i]);
		CHECK_OK(irq_info(qs[i], &type, &n, &addr, &data));
		CHECK_EQ(type, 1);
		CHECK(n < 64 && !(seen & (1ull << n)));
		seen |= 1ull << n;
		CHECK_EQ(data, 0x70 + n);
		CHECK_EQ(addr & 0xfff00000ul, 0xfee00000ul);
		CHECK_OK(irq_sigh(qs[i], test_ntfn));
	}
	CHECK_EQ(seen, ~0ull);
	CHECK_ST(try_session("IRQ", "virtio", "type=msi", IO_RAM, IO_CAPS, 0, &q, &id), RPC_E_BUSY);
	for (int i = 0; i < 64; i++)
		close_session(ids[i], qs[i]);
	q = session("IRQ", "virtio", "type=msi", IO_RAM, IO_CAPS, &id);   /* free again */
	close_session(id, q);
}

#define PIT_BADGE 0x100

/* Wait until the PIT's badge is among the signals. */
static void wait_pit(void)
{
	while (!(sys_wait(test_ntfn) & PIT_BADGE))
		;
}

TEST(IRQ_0004, "IRQ: a signal taken without IRQ_ACK is the last: the PIT runs on unheard until the ack")
{
	word_t idp, idi;
	cptr_t pit = port_session("base=0x40, size=4", &idp);
	cptr_t irq = session("IRQ", "pit", "irq=2", IO_RAM, IO_CAPS, &idi);
	cptr_t badged = cap_slot_alloc();

	/* a badged copy of the test's notification tells the PIT's signals
	 * from any other (an unbadged signal reads as word 0) */
	CHECK_EQ(cnode_mint(COMPONENT_CNODE, badged, 64, COMPONENT_CNODE, test_ntfn, 64, RIGHT_WRITE,
			    PIT_BADGE), E_OK);
	sys_poll(test_ntfn);
	pit_start(pit);
	CHECK_OK(irq_sigh(irq, badged));
	wait_pit();
	/* taken, not acknowledged: the line stays masked while the PIT raises
	 * it again and again */
	pit_periods(pit, 3);
	CHECK_EQ(sys_poll(test_ntfn) & PIT_BADGE, 0);
	CHECK_OK(irq_ack(irq));
	wait_pit();
	CHECK_OK(irq_ack(irq));
	pit_stop(pit);
	close_session(idi, irq);
	close_session(idp, pit);
	cap_slot_free(badged);
	sys_poll(test_ntfn);
}
