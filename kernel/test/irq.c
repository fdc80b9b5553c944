/*
 * Interrupts from real devices: the RTC periodic interrupt (ISA IRQ 8,
 * GSI 8) and the PIT (ISA IRQ 0, GSI 2 on QEMU), handler issue rules,
 * acknowledgement, clearing, MSI allocation.
 */
#include "test.h"

#define RTC_GSI 8
#define PIT_GSI 2
#define IRQ_BADGE 0x100

static cptr_t cmos;

static word_t cmos_read(word_t reg)
{
	word_t v = 0;

	CHECK_OK(ioport_out8(cmos, 0x70, reg | 0x80));
	CHECK_OK(ioport_in8(cmos, 0x71, &v));
	return v & 0xff;
}

static void cmos_write(word_t reg, word_t v)
{
	CHECK_OK(ioport_out8(cmos, 0x70, reg | 0x80));
	CHECK_OK(ioport_out8(cmos, 0x71, v));
}

#define RTC_C_PF 0x40     /* register C: a periodic interrupt was due */

/* Ports and a handler for the RTC's GSI. The handler has no notification
 * yet, so its line is masked. */
static cptr_t rtc_handler(struct env *env)
{
	cptr_t h = mk_slot(env);

	cmos = mk_slot(env);
	CHECK_OK(ioport_control_issue(INIT_IOPORT_CONTROL, 0x70, 0x71, R, cmos, 64));
	CHECK_OK(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, h, 64, RTC_GSI, 0, 0));
	CHECK_EQ(cap_type(h), CAP_IRQ_HANDLER);
	return h;
}

/* The RTC's periodic interrupt on, 1024 Hz. */
static void rtc_start(void)
{
	cmos_write(0x0a, (cmos_read(0x0a) & 0xf0) | 6);
	cmos_write(0x0b, cmos_read(0x0b) | 0x40);
	cmos_read(0x0c);
}

static void rtc_stop(void)
{
	cmos_write(0x0b, cmos_read(0x0b) & ~0x40ul);
	cmos_read(0x0c);
}

/* Give the handler a badged copy of n: this unmasks its line. Register C
 * is read after that, so that the RTC raises its line anew. Nothing
 * acknowledges: the first interrupt masks the line until the case does,
 * so exactly one is signalled however late the case gets to it. */
static void rtc_arm(struct env *env, cptr_t h, cptr_t n)
{
	CHECK_OK(irq_handler_set_notification(h, mk_mint(env, n, RIGHTS_ALL, IRQ_BADGE)));
	cmos_read(0x0c);
}

/* Handler, notification (*n_out) and the RTC's periodic interrupt, armed. */
static cptr_t rtc_setup(struct env *env, cptr_t *n_out)
{
	cptr_t h = rtc_handler(env);

	*n_out = mk(env, OBJ_NOTIFICATION, 0);
	rtc_start();
	rtc_arm(env, h, *n_out);
	return h;
}

/* Acknowledge an RTC interrupt: unmask the line first, then clear the RTC's
 * flags so that its next period raises the line again while it is
 * unmasked (an edge on a masked line is lost). */
static void rtc_ack(cptr_t h)
{
	CHECK_OK(irq_handler_ack(h));
	cmos_read(0x0c);
}

/* Let the RTC request `n` more periodic interrupts: each time register C
 * shows a period that began after the last read. This is the window of
 * the cases that check that nothing is signalled: the device did raise
 * its line, however slowly the machine runs. */
static void rtc_periods(word_t n)
{
	word_t deadline = backstop_deadline();

	cmos_read(0x0c);
	while (n) {
		if (cmos_read(0x0c) & RTC_C_PF)
			n--;
		else if (backstop_passed(deadline))
			test_fail(__FILE__, __LINE__, "the RTC's periodic flag did not come within %u ms",
				  BACKSTOP_MS);
	}
}

TEST(IRQ_0001, "RTC periodic interrupts arrive on the notification with its badge")
{
	cptr_t n;
	cptr_t h = rtc_setup(env, &n);

	for (int i = 0; i < 5; i++) {
		word_t b = wait_signal(env, n);
		if (b != IRQ_BADGE) {
			rtc_stop();
			CHECK_EQ(b, IRQ_BADGE);
		}
		rtc_ack(h);
	}
	rtc_stop();
}

TEST(IRQ_0002, "PIT interrupts (ISA IRQ 0 = GSI 2) arrive and are acknowledged")
{
	cptr_t pit = mk_slot(env), h = mk_slot(env);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	word_t got = 0;

	CHECK_OK(ioport_control_issue(INIT_IOPORT_CONTROL, 0x40, 0x43, R, pit, 64));
	CHECK_OK(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, h, 64, PIT_GSI, 0, 0));
	CHECK_OK(irq_handler_set_notification(h, mk_mint(env, n, RIGHTS_ALL, 0x2)));
	/* channel 0, lobyte/hibyte, mode 2 (rate generator), 1193 = 1 kHz */
	CHECK_OK(ioport_out8(pit, 0x43, 0x34));
	CHECK_OK(ioport_out8(pit, 0x40, 1193 & 0xff));
	CHECK_OK(ioport_out8(pit, 0x40, 1193 >> 8));
	CHECK_OK(irq_handler_ack(h));
	for (int i = 0; i < 5; i++) {
		word_t b = wait_signal(env, n);
		if (b != 0x2)
			break;
		got++;
		CHECK_OK(irq_handler_ack(h));
	}
	/* one-shot mode with the longest count: quiet again */
	CHECK_OK(ioport_out8(pit, 0x43, 0x30));
	CHECK_OK(ioport_out8(pit, 0x40, 0xff));
	CHECK_OK(ioport_out8(pit, 0x40, 0xff));
	CHECK_EQ(got, 5);
}

TEST(IRQ_0003, "a GSI can only be issued once (E_BUSY)")
{
	cptr_t a = mk_slot(env), b = mk_slot(env);

	CHECK_OK(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, a, 64, RTC_GSI, 0, 0));
	CHECK_ST(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, b, 64, RTC_GSI, 0, 0), E_BUSY);
	CHECK_EQ(cap_type(b), 0);
}

TEST(IRQ_0004, "a GSI that does not exist fails with E_RANGE")
{
	cptr_t a = mk_slot(env);

	CHECK_ST(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, a, 64, 255, 0, 0), E_RANGE);
	CHECK_ST(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, a, 64, 100000, 0, 0), E_RANGE);
	CHECK_ST(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, a, 64, ~0ul, 0, 0), E_RANGE);
	CHECK_EQ(cap_type(a), 0);
}

TEST(IRQ_0005, "a handler into an occupied slot fails with E_DELETE_FIRST")
{
	cptr_t occ = mk(env, OBJ_NOTIFICATION, 0);

	CHECK_ST(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, occ, 64, RTC_GSI, 0, 0), E_DELETE_FIRST);
	/* the GSI was not taken by the failed call */
	CHECK_OK(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, mk_slot(env), 64, RTC_GSI, 0, 0));
}

TEST(IRQ_0006, "deleting the handler cap frees the GSI")
{
	cptr_t a = mk_slot(env);

	CHECK_OK(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, a, 64, RTC_GSI, 0, 0));
	CHECK_OK(cnode_delete(R, a, 64));
	CHECK_OK(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, a, 64, RTC_GSI, 0, 0));
}

TEST(IRQ_0007, "MSI vectors: address/data returned, each number once, range checked")
{
	cptr_t a = mk_slot(env), b = mk_slot(env), c = mk_slot(env);
	word_t addr = 0, data = 0;

	CHECK_OK(irq_control_get_msi(INIT_IRQ_CONTROL, R, a, 64, 0, &addr, &data));
	CHECK_EQ(cap_type(a), CAP_IRQ_HANDLER);
	CHECK_EQ(addr & 0xfff00000, 0xfee00000);
	CHECK((data & 0xff) >= 32);
	CHECK_ST(irq_control_get_msi(INIT_IRQ_CONTROL, R, b, 64, 0, &addr, &data), E_BUSY);
	CHECK_OK(irq_control_get_msi(INIT_IRQ_CONTROL, R, b, 64, 1, &addr, &data));
	CHECK_ST(irq_control_get_msi(INIT_IRQ_CONTROL, R, c, 64, 1ul << 20, &addr, &data), E_RANGE);
	CHECK_ST(irq_control_get_msi(INIT_IRQ_CONTROL, R, a, 64, 2, &addr, &data), E_DELETE_FIRST);
}

TEST(IRQ_0008, "IRQ_HANDLER_SET_NOTIFICATION with a non-notification cap fails")
{
	cptr_t h = mk_slot(env);

	CHECK_OK(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, h, 64, RTC_GSI, 0, 0));
	CHECK_ST(irq_handler_set_notification(h, mk(env, OBJ_ENDPOINT, 0)), E_INVALID_CAPABILITY);
	CHECK_OK(irq_handler_set_notification(h, mk(env, OBJ_NOTIFICATION, 0)));
	CHECK_OK(irq_handler_set_notification(h, 0));
}

TEST(IRQ_0009, "after IRQ_HANDLER_CLEAR interrupts are no longer signalled")
{
	cptr_t n;
	cptr_t h = rtc_setup(env, &n);

	CHECK_EQ(wait_signal(env, n), IRQ_BADGE);
	CHECK_OK(irq_handler_clear(h));
	sys_poll(n);
	rtc_ack(h);
	rtc_periods(3);          /* the RTC requested three more interrupts */
	word_t b = sys_poll(n);
	rtc_stop();
	CHECK_EQ(b, 0);
}

TEST(IRQ_0010, "IRQ control and handler invocations on the wrong cap type fail")
{
	cptr_t h = mk_slot(env);
	word_t args[5] = { mk_slot(env), 64, RTC_GSI, 0, 0 };
	cptr_t caps[1] = { R };

	CHECK_OK(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, h, 64, RTC_GSI, 0, 0));
	CHECK_ST(kernel_invoke(h, IRQ_CONTROL_GET_IOAPIC, 5, args, 1, caps, 0, 0), E_ILLEGAL_OPERATION);
	CHECK_ST(irq_handler_ack(INIT_IRQ_CONTROL), E_ILLEGAL_OPERATION);
	CHECK_ST(irq_handler_ack(INIT_TCB), E_ILLEGAL_OPERATION);
}

TEST(IRQ_0011, "an interrupt is not signalled again until IRQ_HANDLER_ACK")
{
	cptr_t n;
	cptr_t h = rtc_setup(env, &n);
	word_t b1, b2, b3;

	b1 = wait_signal(env, n);
	rtc_periods(3);          /* the RTC requested three more interrupts ... */
	b2 = sys_poll(n);        /* ... but the handler was not acknowledged */
	rtc_ack(h);
	b3 = wait_signal(env, n);
	rtc_stop();
	CHECK_EQ(b1, IRQ_BADGE);
	CHECK_EQ(b2, 0);
	CHECK_EQ(b3, IRQ_BADGE);
}

TEST(IRQ_0012, "acknowledging with nothing pending is harmless")
{
	cptr_t h = mk_slot(env);

	CHECK_OK(irq_control_get_ioapic(INIT_IRQ_CONTROL, R, h, 64, RTC_GSI, 0, 0));
	for (int i = 0; i < 5; i++)
		CHECK_OK(irq_handler_ack(h));
}

TEST(IRQ_0013, "IRQ control invocations with too few words are E_TRUNCATED_MESSAGE")
{
	word_t args[5] = { mk_slot(env), 64, RTC_GSI, 0, 0 };
	cptr_t caps[1] = { R };

	CHECK_ST(kernel_invoke(INIT_IRQ_CONTROL, IRQ_CONTROL_GET_IOAPIC, 2, args, 1, caps, 0, 0),
		   E_TRUNCATED_MESSAGE);
	CHECK_ST(kernel_invoke(INIT_IRQ_CONTROL, IRQ_CONTROL_GET_IOAPIC, 5, args, 0, 0, 0, 0),
		   E_TRUNCATED_MESSAGE);
	CHECK_EQ(cap_type(args[0]), 0);
}

static word_t bound_driver(word_t ep, word_t unused)
{
	struct sys_msg m = { 0 };

	(void)unused;
	sys_recv(ep, &m);
	return m.info == 0 ? m.badge : 0;
}

/* A thread (priority 100 on `cpu`) blocks in Wait on a notification n, or
 * if ep is set, has n bound and blocks in Recv on ep; only then is the RTC
 * armed with n. Its interrupt must wake the thread, which returns the
 * badge it got. */
static void check_irq_wakes(struct env *env, cptr_t ep, word_t cpu)
{
	cptr_t h = rtc_handler(env);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t done = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	rtc_start();
	CHECK_OK(thread_create(env, &t, 0));
	if (ep)
		CHECK_OK(tcb_bind_notification(t.tcb, n));
	t.info->exit_ntfn = mk_mint(env, done, RIGHTS_ALL, 1);
	if (ep)
		CHECK_OK(thread_start(&t, bound_driver, ep, 0, 100, cpu));
	else
		CHECK_OK(thread_start(&t, sys_wait, n, 0, 100, cpu));
	settle_cpu(env, cpu);    /* it is blocked now */
	/* below the waiter, so that it runs as soon as the interrupt wakes it */
	CHECK_OK(tcb_set_priority(INIT_TCB, INIT_TCB, 50));
	rtc_arm(env, h, n);
	word_t b = wait_signal(env, done);
	CHECK_OK(tcb_set_priority(INIT_TCB, INIT_TCB, ABI_PRIO_MAX));
	rtc_stop();
	CHECK_EQ(b, 1);
	CHECK_EQ(t.info->exit_value, IRQ_BADGE);
}

TEST(IRQ_0014, "a second thread waiting on the IRQ notification is woken by the RTC")
{
	check_irq_wakes(env, 0, 0);
}

TEST(IRQ_0015, "an interrupt on a bound notification wakes a thread in Recv on an endpoint")
{
	check_irq_wakes(env, mk(env, OBJ_ENDPOINT, 0), 0);
}

TEST(IRQ_0016, "an interrupt wakes a waiter on the last CPU")
{
	check_irq_wakes(env, 0, test_bootinfo->num_cpus - 1);
}

TEST(IRQ_0017, "interrupts after the handler's notification was destroyed touch no freed memory")
{
	cptr_t h = rtc_handler(env);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t ut = mk_untyped(env, 12);
	cptr_t n2 = mk_slot(env), f = mk_slot(env);
	volatile word_t *p;

	/* the RTC stays quiet until n2 is gone: n is never signalled, rightly or not */
	rtc_arm(env, h, n);
	CHECK_OK(untyped_retype(ut, OBJ_NOTIFICATION, 0, R, 0, 0, n2, 1));
	CHECK_OK(irq_handler_set_notification(h, n2));
	CHECK_OK(cnode_delete(R, n2, 64));
	CHECK_OK(untyped_retype(ut, OBJ_FRAME_4K, 0, R, 0, 0, f, 1));
	p = env_map(env, f, RIGHT_READ | RIGHT_WRITE);
	CHECK(p);
	for (int i = 0; i < 512; i++)
		p[i] = 0xa5a5a5a5a5a5a5a5ul;
	/* the line is unmasked: the first period interrupts the kernel */
	rtc_start();
	for (int i = 0; i < 5; i++) {
		rtc_periods(1);
		rtc_ack(h);
	}
	rtc_stop();
	for (int i = 0; i < 512; i++)
		CHECK_EQ(p[i], 0xa5a5a5a5a5a5a5a5ul);
	CHECK_EQ(sys_poll(n), 0);
}
