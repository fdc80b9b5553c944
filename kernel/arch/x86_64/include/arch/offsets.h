/*
 * Offsets that entry.S shares with C: fields of struct pcpu (through %gs)
 * and of struct user_context. Plain numbers so that the assembler can read
 * this file; pcpu.h and cpu.h check each against the C layout.
 */
#ifndef ARCH_OFFSETS_H
#define ARCH_OFFSETS_H

/* struct pcpu */
#define PCPU_CUR 8
#define PCPU_KSTACK_TOP 16
#define PCPU_SCRATCH 24
#define PCPU_TSS_RSP0 40

/* struct user_context */
#define CTX_R15 0
#define CTX_R14 8
#define CTX_R13 16
#define CTX_R12 24
#define CTX_R11 32
#define CTX_R10 40
#define CTX_R9 48
#define CTX_R8 56
#define CTX_RBP 64
#define CTX_RDI 72
#define CTX_RSI 80
#define CTX_RDX 88
#define CTX_RCX 96
#define CTX_RBX 104
#define CTX_RAX 112
#define CTX_VECTOR 120
#define CTX_ERROR 128
#define CTX_RIP 136
#define CTX_CS 144
#define CTX_RFLAGS 152
#define CTX_RSP 160
#define CTX_SS 168
#define CTX_SIZE 176

#endif
