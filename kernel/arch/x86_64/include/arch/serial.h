/* The kernel console's UART: COM1, whose ports no IOPort cap may name. */
#ifndef ARCH_SERIAL_H
#define ARCH_SERIAL_H

#define COM1 0x3f8
#define CONSOLE_PORT_FIRST COM1
#define CONSOLE_PORT_LAST (COM1 + 7)

#endif
