/*
 * AP start-up code, copied to physical 0x8000 and entered in real mode by
 * the SIPI. Real mode -> protected mode -> long mode on the kernel's boot
 * page tables (which identity map this page), then into ap_main(cpu) on
 * the stack from the parameter block at the end.
 */
#define BASE 0x8000
#define ABS(x) ((x) - trampoline_start + BASE)

	.section .rodata
	.code16
	.globl trampoline_start
	.globl trampoline_end
	.globl trampoline_params
trampoline_start:
	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	lgdtl ABS(tr_gdt_ptr)
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl $0x08, $ABS(tr_prot)

	.code32
tr_prot:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %cr4, %eax
	or $((1 << 5) | (1 << 7)), %eax          /* PAE, PGE */
	mov %eax, %cr4
	mov ABS(tr_cr3), %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax         /* LME, NXE */
	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | (1 << 16)), %eax        /* PG, WP */
	mov %eax, %cr0
	ljmp $0x18, $ABS(tr_long)

	.code64
tr_long:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov ABS(tr_stack), %rsp
	mov ABS(tr_cpu), %edi
	mov ABS(tr_entry), %rax
	xor %rbp, %rbp
	call *%rax
1:	hlt
	jmp 1b

	.align 16
tr_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff                 /* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff                 /* 0x10: data */
	.quad 0x00af9a000000ffff                 /* 0x18: 64-bit code */
tr_gdt_ptr:
	.word tr_gdt_ptr - tr_gdt - 1
	.long ABS(tr_gdt)
	.align 8
trampoline_params:
tr_cr3:	.quad 0
tr_stack: .quad 0
tr_entry: .quad 0
tr_cpu:	.quad 0
trampoline_end:
	.section .note.GNU-stack, "", @progbits
