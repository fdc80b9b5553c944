/* Kernel console output and panic. */
#ifndef KPRINTF_H
#define KPRINTF_H

#include <stdarg.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void console_putc(char c);   /* arch: serial */
void console_init(void);
void machine_halt(unsigned code) __attribute__((noreturn));

#endif
