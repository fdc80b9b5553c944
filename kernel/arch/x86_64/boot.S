/*
 * Multiboot2 entry: GRUB enters in 32-bit protected mode with paging off
 * (on BIOS and on UEFI alike). Build the boot page tables, switch to long
 * mode and call arch_main(magic, info) at the kernel's higher-half address.
 * Boot tables: PML4[0] identity maps 0..1 GiB (used until user space runs
 * and by AP bring-up), PML4[256] is the start of the direct map, PML4[511]
 * maps the kernel image at 0xffffffff80000000.
 */
#define KVMA 0xffffffff80000000
#define PHYS(x) ((x) - KVMA)

	.section .multiboot, "a"
	.align 8
mb2_header:
	.long 0xe85250d6                 /* magic */
	.long 0                          /* architecture: i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(0xe85250d6 + 0 + (mb2_header_end - mb2_header))
	/* entry address tag: the ELF entry is a higher-half address */
	.align 8
	.word 3, 0
	.long 12
	.long PHYS(_start32)
	/* module alignment tag: modules page aligned */
	.align 8
	.word 6, 0
	.long 8
	/* framebuffer tag, optional (flag 1): a linear framebuffer of the
	 * loader's choice (0 x 0 x 0 bits) if the machine has a display;
	 * without one the loader boots the kernel in text mode */
	.align 8
	.word 5, 1
	.long 20
	.long 0, 0, 0
	/* end tag */
	.align 8
	.word 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start32
_start32:
	cli
	mov %eax, %esi                   /* multiboot2 magic */
	mov %ebx, %edi                   /* multiboot2 info (physical) */
	mov $PHYS(boot_stack_top), %esp

	/* PD: 512 x 2 MiB identity entries (0..1 GiB) */
	mov $PHYS(boot_pd), %ebx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax                   /* present, writable, 2 MiB */
	mov %eax, (%ebx,%ecx,8)
	movl $0, 4(%ebx,%ecx,8)
	inc %ecx
	cmp $512, %ecx
	jne 1b

	/* PDPT low and direct: entry 0 -> PD; PDPT high: entry 510 -> PD */
	mov $PHYS(boot_pd), %eax
	or $0x3, %eax
	mov %eax, PHYS(boot_pdpt_low)
	mov %eax, PHYS(boot_pdpt_direct)
	mov %eax, PHYS(boot_pdpt_high) + 510 * 8

	mov $PHYS(boot_pdpt_low), %eax
	or $0x3, %eax
	mov %eax, PHYS(kernel_pml4)
	mov $PHYS(boot_pdpt_direct), %eax
	or $0x3, %eax
	mov %eax, PHYS(kernel_pml4) + 256 * 8
	mov $PHYS(boot_pdpt_high), %eax
	or $0x3, %eax
	mov %eax, PHYS(kernel_pml4) + 511 * 8

	/* PAE + PGE, then long mode with NX, then paging */
	mov %cr4, %eax
	or $((1 << 5) | (1 << 7)), %eax
	mov %eax, %cr4
	mov $PHYS(kernel_pml4), %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax  /* LME, NXE */
	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | (1 << 16) | 1), %eax   /* PG, WP, PE */
	mov %eax, %cr0

	lgdt PHYS(boot_gdt_ptr)
	ljmp $0x08, $PHYS(start64_low)

	.code64
start64_low:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	movabs $start64_high, %rax
	jmp *%rax

	.section .text
start64_high:
	movabs $boot_stack_top, %rsp
	xor %rbp, %rbp
	/* rdi = info (phys), rsi = magic: arch_main(magic, info) */
	xchg %rdi, %rsi
	call arch_main
2:	cli
	hlt
	jmp 2b

	.section .boot.data, "aw"
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff         /* 64-bit code */
	.quad 0x00cf92000000ffff         /* data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)

	.section .bss
	.align 4096
	.globl kernel_pml4
kernel_pml4:
	.skip 4096
boot_pdpt_low:
	.skip 4096
	.globl boot_pdpt_direct
boot_pdpt_direct:
	.skip 4096
	.globl boot_pdpt_high
boot_pdpt_high:
	.skip 4096
	.globl boot_pd
boot_pd:
	.skip 4096
	.align 16
	.globl boot_stack
boot_stack:
	.skip 16384
	.globl boot_stack_top
boot_stack_top:
	.section .note.GNU-stack, "", @progbits
