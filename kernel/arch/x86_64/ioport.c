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

struct ioport_control_issue_op {
	uint64_t first, last;
	struct cte *slot;
};

static abi_error_t decode_ioport_control_issue(struct inv *iv, struct ioport_control_issue_op *op)
{
	struct ioport_control_issue_args a;
	if (inv_get_ioport_control_issue(iv, &a))
		return E_TRUNCATED_MESSAGE;
	if (a.first > a.last || a.last > 0xffff)
		return inv_err(iv, E_RANGE, 0, 0xffff);
	if (a.first <= CONSOLE_PORT_LAST && a.last >= CONSOLE_PORT_FIRST)
		return inv_err(iv, E_BUSY, CONSOLE_PORT_FIRST, CONSOLE_PORT_LAST);
	op->first = a.first;
	op->last = a.last;
	return inv_empty_slot(iv, a.root, a.index, a.depth, &op->slot);
}

static void invoke_ioport_control_issue(struct inv *iv, const struct ioport_control_issue_op *op)
{
	cte_insert_child(iv->slot, op->slot, cap_make(CAP_IOPORT, RIGHTS_ALL, op->first, op->last));
}

abi_error_t decode_ioport_control(struct inv *iv)
{
	if (iv->label == IOPORT_CONTROL_ISSUE)
		DECODE_INVOKE(ioport_control_issue, iv);
	return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
}

struct ioport_access_op {
	uint16_t port;
	unsigned size;             /* bytes */
	uint64_t value;            /* out */
};

/* An access of size bytes at port: it must lie in the cap's range. */
static abi_error_t check_port(struct inv *iv, uint64_t port, unsigned size, struct ioport_access_op *op)
{
	uint64_t first = cap_ioport_first(iv->cap), last = cap_ioport_last(iv->cap);
	if (port < first || port > last || port + size - 1 > last)
		return inv_err(iv, E_RANGE, first, last);
	op->port = (uint16_t)port;
	op->size = size;
	return E_OK;
}

static abi_error_t decode_ioport_in(struct inv *iv, struct ioport_access_op *op)
{
	struct ioport_in8_args a;       /* the same (port) for all sizes */
	if (inv_get_ioport_in8(iv, &a))
		return E_TRUNCATED_MESSAGE;
	op->value = 0;
	return check_port(iv, a.port, iv->label == IOPORT_IN8 ? 1 : iv->label == IOPORT_IN16 ? 2 : 4, op);
}

static void invoke_ioport_in(struct inv *iv, const struct ioport_access_op *op)
{
	uint16_t p = op->port;
	inv_reply_ioport_in8(iv, op->size == 1 ? inb(p) : op->size == 2 ? inw(p) : inl(p));
}

static abi_error_t decode_ioport_out(struct inv *iv, struct ioport_access_op *op)
{
	struct ioport_out8_args a;      /* the same (port, value) for all sizes */
	if (inv_get_ioport_out8(iv, &a))
		return E_TRUNCATED_MESSAGE;
	op->value = a.value;
	return check_port(iv, a.port, iv->label == IOPORT_OUT8 ? 1 : iv->label == IOPORT_OUT16 ? 2 : 4, op);
}

static void invoke_ioport_out(struct inv *iv, const struct ioport_access_op *op)
{
	uint16_t p = op->port;
	(void)iv;
	if (op->size == 1)
		outb(p, (uint8_t)op->value);
	else if (op->size == 2)
		outw(p, (uint16_t)op->value);
	else
		outl(p, (uint32_t)op->value);
}

abi_error_t decode_ioport(struct inv *iv)
{
	switch (iv->label) {
	case IOPORT_IN8: case IOPORT_IN16: case IOPORT_IN32:
		DECODE_INVOKE_AS(ioport_access_op, decode_ioport_in, invoke_ioport_in, iv);
	case IOPORT_OUT8: case IOPORT_OUT16: case IOPORT_OUT32:
		DECODE_INVOKE_AS(ioport_access_op, decode_ioport_out, invoke_ioport_out, iv);
	}
	return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
}
