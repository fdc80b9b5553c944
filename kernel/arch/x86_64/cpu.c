/*
 * Per-CPU processor setup: GDT with TSS, the IDT, SYSCALL MSRs, the PAT
 * (entry 1 becomes write-combining) and SSE/FPU state handling; the
 * accounting of the time each CPU spends halted in its idle loop.
 */
#include <types.h>
#include <kprintf.h>
#include <arch/cpu.h>
#include <arch/pcpu.h>

struct idt_entry {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static uint64_t gdt[ABI_MAX_CPUS][8] __attribute__((aligned(16)));
static struct idt_entry idt[256] __attribute__((aligned(16)));
static uint8_t ist_stacks[ABI_MAX_CPUS][4096] __attribute__((aligned(16)));
static uint8_t fpu_default[512] __attribute__((aligned(16)));

extern const uint64_t isr_table[256];
extern void syscall_entry(void);

static void idt_build(void)
{
	for (int v = 0; v < 256; v++) {
		uint64_t a = isr_table[v];
		idt[v].off_lo = a & 0xffff;
		idt[v].sel = GDT_KCODE;
		idt[v].ist = (v == 8) ? 1 : 0;
		/* present interrupt gates; int3 and into may be used by user code */
		idt[v].type = (v == 3 || v == 4) ? 0xee : 0x8e;
		idt[v].off_mid = (a >> 16) & 0xffff;
		idt[v].off_hi = a >> 32;
		idt[v].zero = 0;
	}
}

void cpu_init(unsigned cpu)
{
	uint64_t *g = gdt[cpu];
	struct tss *ts = &pcpus[cpu].tss;

	if (cpu == 0)
		idt_build();
	g[0] = 0;
	g[1] = 0x00af9a000000ffffull;   /* kernel code */
	g[2] = 0x00cf92000000ffffull;   /* kernel data */
	g[3] = 0x00cff2000000ffffull;   /* user data (DPL 3) */
	g[4] = 0x00affa000000ffffull;   /* user code (DPL 3) */
	uint64_t base = (uint64_t)ts, limit = sizeof(*ts) - 1;
	g[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
	       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	g[6] = base >> 32;
	memset(ts, 0, sizeof(*ts));
	ts->ist[0] = (uint64_t)&ist_stacks[cpu][4096];
	ts->iomap_base = sizeof(*ts);   /* no I/O bitmap: user port access faults */

	struct desc_ptr gp = { sizeof(gdt[0]) - 1, (uint64_t)g };
	struct desc_ptr ip = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lgdt %0" :: "m"(gp));
	__asm__ volatile("lidt %0" :: "m"(ip));
	__asm__ volatile(
		"mov %0, %%ds\n mov %0, %%es\n mov %0, %%ss\n"
		"pushq %1\n lea 1f(%%rip), %%rax\n pushq %%rax\n lretq\n1:\n"
		:: "r"((uint64_t)GDT_KDATA), "i"(GDT_KCODE) : "rax", "memory");
	__asm__ volatile("ltr %w0" :: "r"(GDT_TSS));
	__asm__ volatile("mov %0, %%fs\n mov %0, %%gs" :: "r"(0));

	/* per-CPU data through GS; user GS base starts at 0 */
	wrmsr(MSR_GS_BASE, (uint64_t)&pcpus[cpu]);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	wrmsr(MSR_FS_BASE, 0);

	/* SYSCALL: kernel CS 0x08; SYSRET bases at 0x10 -> SS 0x1b, CS 0x23 */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1 | (1 << 11));  /* SCE, NXE */
	wrmsr(MSR_STAR, ((uint64_t)0x10 << 48) | ((uint64_t)GDT_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, 0x47700);       /* clear TF IF DF NT AC on entry */

	/* PAT: WB, WC, UC-, UC, WB, WT, UC-, UC */
	wrmsr(MSR_PAT, 0x0007010600070106ull);

	/* SSE on, x87 exceptions native, FPU present */
	uint64_t cr0, cr4;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~(1ull << 2 | 1ull << 3)) | (1ull << 1) | (1ull << 5);  /* clear EM TS, set MP NE */
	__asm__ volatile("mov %0, %%cr0" :: "r"(cr0));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= (1ull << 9) | (1ull << 10);   /* OSFXSR, OSXMMEXCPT */
	__asm__ volatile("mov %0, %%cr4" :: "r"(cr4));
	if (cpu == 0) {
		__asm__ volatile("fninit");
		uint32_t mxcsr = 0x1f80;
		__asm__ volatile("ldmxcsr %0" :: "m"(mxcsr));
		fpu_save(fpu_default);
	}
}

void fpu_init_state(void *area)
{
	memcpy(area, fpu_default, sizeof(fpu_default));
}

/* ---- halted-time accounting ---------------------------------------------
 * Only the CPU itself writes its fields: halt_begin in its idle loop,
 * halt_end at its next interrupt entry from the loop, both with
 * interrupts off and without the kernel lock. Readers on other CPUs
 * (SYS_HALTED_TIME) retry while the sequence count is odd or changed. */

void halt_begin(struct pcpu *p)
{
	__atomic_add_fetch(&p->halt_seq, 1, __ATOMIC_SEQ_CST);
	p->halt_start = rdtsc();
	__atomic_add_fetch(&p->halt_seq, 1, __ATOMIC_SEQ_CST);
}

void halt_end(struct pcpu *p)
{
	if (!p->halt_start)
		return;
	__atomic_add_fetch(&p->halt_seq, 1, __ATOMIC_SEQ_CST);
	p->halted += rdtsc() - p->halt_start;
	p->halt_start = 0;
	__atomic_add_fetch(&p->halt_seq, 1, __ATOMIC_SEQ_CST);
}

uint64_t halted_time(const struct pcpu *p, uint64_t *now)
{
	uint32_t seq;
	uint64_t halted, start;

	do {
		while ((seq = __atomic_load_n(&p->halt_seq, __ATOMIC_SEQ_CST)) & 1)
			__asm__ volatile("pause");
		halted = __atomic_load_n(&p->halted, __ATOMIC_SEQ_CST);
		start = __atomic_load_n(&p->halt_start, __ATOMIC_SEQ_CST);
		*now = rdtsc();
	} while (__atomic_load_n(&p->halt_seq, __ATOMIC_SEQ_CST) != seq);
	/* the TSCs of QEMU's CPUs agree; a start after now (read on another
	 * CPU a moment before) counts as nothing yet */
	return halted + (start && *now > start ? *now - start : 0);
}
