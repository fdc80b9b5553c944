/* Non-local jumps within one thread's stack (base/arch/x86_64/setjmp.S). */
#ifndef ARGIL_SETJMP_H
#define ARGIL_SETJMP_H

typedef unsigned long base_jmp_buf[8];

int base_setjmp(base_jmp_buf jb) __attribute__((returns_twice));
void base_longjmp(base_jmp_buf jb, int value) __attribute__((noreturn));

#endif
