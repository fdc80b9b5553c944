/*
 * I/O port capabilities (x86 only): IOPortControl issues a cap to a port
 * range, never one that overlaps the kernel console's UART; an IOPort cap
 * reads and writes 8, 16 or 32 bits at a port inside its range.
 */
#include <types.h>
#include <cap.h>
#include <inv.h>
#include <irq.h>
#include <arch/cpu.h>
#include <arch/serial.h>

abi_error_t decode_ioport_control(struct inv *iv)
{
	struct cte *slot;
	abi_error_t e;
	if (iv->label != IOPORT_CONTROL_ISSUE)
		return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
	if (iv->len < 4)
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	uint64_t first = inv_arg(iv, 0), last = inv_arg(iv, 1);
	if (first > last || last > 0xffff)
		return inv_err(iv, E_RANGE, 0, 0xffff);
	if (first <= CONSOLE_PORT_LAST && last >= CONSOLE_PORT_FIRST)
		return inv_err(iv, E_BUSY, CONSOLE_PORT_FIRST, CONSOLE_PORT_LAST);
	if ((e = inv_empty_slot(iv, 0, inv_arg(iv, 2), inv_arg(iv, 3), &slot)))
		return e;
	cte_insert_child(iv->slot, slot, cap_make(CAP_IOPORT, RIGHTS_ALL, first, last));
	return E_OK;
}

abi_error_t decode_ioport(struct inv *iv)
{
	uint64_t first = cap_ioport_first(iv->cap), last = cap_ioport_last(iv->cap);
	unsigned size;
	bool out;
	switch (iv->label) {
	case IOPORT_IN8: size = 1; out = false; break;
	case IOPORT_IN16: size = 2; out = false; break;
	case IOPORT_IN32: size = 4; out = false; break;
	case IOPORT_OUT8: size = 1; out = true; break;
	case IOPORT_OUT16: size = 2; out = true; break;
	case IOPORT_OUT32: size = 4; out = true; break;
	default: return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
	}
	if (iv->len < (out ? 2u : 1u))
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	uint64_t port = inv_arg(iv, 0), v = inv_arg(iv, 1);
	if (port < first || port > last || port + size - 1 > last)
		return inv_err(iv, E_RANGE, first, last);
	uint16_t p16 = (uint16_t)port;
	if (out) {
		if (size == 1) outb(p16, (uint8_t)v);
		else if (size == 2) outw(p16, (uint16_t)v);
		else outl(p16, (uint32_t)v);
	} else {
		uint64_t r = size == 1 ? inb(p16) : size == 2 ? inw(p16) : inl(p16);
		inv_set_result(iv, 0, r);
	}
	return E_OK;
}
