/* The kernel console: COM1, polled, 115200 8N1. Also machine halt. */
#include <types.h>
#include <kprintf.h>
#include <arch/cpu.h>
#include <arch/serial.h>

void console_init(void)
{
	outb(COM1 + 1, 0x00);   /* no interrupts */
	outb(COM1 + 3, 0x80);   /* DLAB */
	outb(COM1 + 0, 0x01);   /* 115200 */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);   /* 8N1 */
	outb(COM1 + 2, 0xc7);   /* FIFO */
	outb(COM1 + 4, 0x03);   /* DTR RTS, OUT2 off: no IRQ line */
}

void console_putc(char c)
{
	if (c == '\n')
		console_putc('\r');
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		cpu_relax();
	outb(COM1, (uint8_t)c);
}

/* QEMU's isa-debug-exit device at 0xf4 ends the emulator; else stop. */
void machine_halt(unsigned code)
{
	outb(0xf4, (uint8_t)code);
	for (;;) {
		cli();
		halt();
	}
}
