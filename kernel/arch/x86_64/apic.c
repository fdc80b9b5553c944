/*
 * xAPIC and IOAPIC programming. The LAPIC is per CPU at the same physical
 * address; IOAPIC entries stay masked until a handler is given a
 * notification.
 */
#include <types.h>
#include <kprintf.h>
#include <arch/cpu.h>
#include <arch/mm.h>
#include <arch/apic.h>
#include <arch/platform.h>
#include <arch/timer.h>
#include <arch/pcpu.h>
#include <arch/smp.h>
#include <irq.h>

#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_ESR 0x280
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)

static volatile uint32_t *lapic;

static inline uint32_t lr(unsigned reg) { return lapic[reg / 4]; }
static inline void lw(unsigned reg, uint32_t v) { lapic[reg / 4] = v; }

void pic_disable(void)
{
	outb(0x20, 0x11); outb(0xa0, 0x11);   /* ICW1: init, ICW4 follows */
	outb(0x21, 0x20); outb(0xa1, 0x28);   /* vectors 0x20.., 0x28.. */
	outb(0x21, 0x04); outb(0xa1, 0x02);   /* cascade */
	outb(0x21, 0x01); outb(0xa1, 0x01);   /* 8086 mode */
	outb(0x21, 0xff); outb(0xa1, 0xff);   /* mask everything */
}

void lapic_init(void)
{
	if (!lapic)
		lapic = (volatile uint32_t *)kmap_mmio(platform.lapic_paddr, 4096);
	lw(LAPIC_TPR, 0);
	lw(LAPIC_LVT_LINT0, LVT_MASKED);
	lw(LAPIC_LVT_LINT1, LVT_MASKED);
	lw(LAPIC_LVT_ERROR, LVT_MASKED);
	lw(LAPIC_ESR, 0);
	lw(LAPIC_ESR, 0);
	lw(LAPIC_SVR, 0x100 | 0xff);          /* enable, spurious vector 0xff */
	lw(LAPIC_EOI, 0);
}

uint32_t lapic_id(void) { return lr(LAPIC_ID) >> 24; }
void lapic_eoi(void) { lw(LAPIC_EOI, 0); }

static void icr_send(uint32_t apic_id, uint32_t lo)
{
	for (int i = 0; i < 1000000 && (lr(LAPIC_ICR_LO) & (1u << 12)); i++)
		cpu_relax();
	lw(LAPIC_ICR_HI, apic_id << 24);
	lw(LAPIC_ICR_LO, lo);
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector) { icr_send(apic_id, vector | (1u << 14)); }
void arch_send_ipi(struct pcpu *q) { lapic_send_ipi(q->apic_id, VEC_IPI); }
void lapic_send_init(uint32_t apic_id) { icr_send(apic_id, 0x4500); }
void lapic_send_sipi(uint32_t apic_id, uint8_t page) { icr_send(apic_id, 0x4600 | page); }

void lapic_timer_start_raw(uint32_t count)
{
	lw(LAPIC_TIMER_DIV, 0x3);             /* divide by 16 */
	lw(LAPIC_LVT_TIMER, LVT_MASKED);
	lw(LAPIC_TIMER_INIT, count);
}

uint32_t lapic_timer_current(void) { return lr(LAPIC_TIMER_CUR); }

void lapic_timer_periodic(uint8_t vector, uint32_t period_us)
{
	uint64_t count = (uint64_t)lapic_ticks_per_ms * period_us / 1000;
	if (count == 0)
		count = 1;
	if (count > 0xffffffffu)
		count = 0xffffffffu;
	lw(LAPIC_TIMER_DIV, 0x3);
	lw(LAPIC_LVT_TIMER, vector | LVT_PERIODIC);
	lw(LAPIC_TIMER_INIT, (uint32_t)count);
}

void lapic_timer_stop(void)
{
	lw(LAPIC_LVT_TIMER, LVT_MASKED);
	lw(LAPIC_TIMER_INIT, 0);
}

/* ---- IOAPIC ---- */

static uint32_t io_read(struct ioapic_info *io, uint32_t reg)
{
	io->regs[0] = reg;
	return io->regs[4];
}

static void io_write(struct ioapic_info *io, uint32_t reg, uint32_t v)
{
	io->regs[0] = reg;
	io->regs[4] = v;
}

static struct ioapic_info *ioapic_for(uint32_t gsi)
{
	for (unsigned i = 0; i < platform.nioapic; i++) {
		struct ioapic_info *io = &platform.ioapic[i];
		if (io->regs && gsi >= io->gsi_base && gsi < io->gsi_base + io->count)
			return io;
	}
	return NULL;
}

void ioapic_init(void)
{
	for (unsigned i = 0; i < platform.nioapic; i++) {
		struct ioapic_info *io = &platform.ioapic[i];
		io->regs = (volatile uint32_t *)kmap_mmio(io->paddr, 4096);
		io->count = ((io_read(io, 1) >> 16) & 0xff) + 1;
		for (uint32_t n = 0; n < io->count; n++) {
			io_write(io, 0x10 + 2 * n, LVT_MASKED);
			io_write(io, 0x11 + 2 * n, 0);
		}
	}
}

int ioapic_gsi_valid(uint32_t gsi) { return ioapic_for(gsi) != NULL; }

uint32_t ioapic_gsi_count(void)
{
	uint32_t max = 0;
	for (unsigned i = 0; i < platform.nioapic; i++)
		if (platform.ioapic[i].gsi_base + platform.ioapic[i].count > max)
			max = platform.ioapic[i].gsi_base + platform.ioapic[i].count;
	return max;
}

int ioapic_route(uint32_t gsi, uint8_t vector, int level, int active_low, uint32_t dest)
{
	struct ioapic_info *io = ioapic_for(gsi);
	if (!io)
		return -1;
	uint32_t n = gsi - io->gsi_base;
	uint32_t lo = vector | LVT_MASKED | (active_low ? 1u << 13 : 0) | (level ? 1u << 15 : 0);
	io_write(io, 0x11 + 2 * n, dest << 24);
	io_write(io, 0x10 + 2 * n, lo);
	return 0;
}

void ioapic_mask(uint32_t gsi, int masked)
{
	struct ioapic_info *io = ioapic_for(gsi);
	if (!io)
		return;
	uint32_t reg = 0x10 + 2 * (gsi - io->gsi_base);
	uint32_t lo = io_read(io, reg);
	io_write(io, reg, masked ? lo | LVT_MASKED : lo & ~LVT_MASKED);
}
