/*
 * Device interrupts and I/O ports. An IRQ handler cap names one IOAPIC GSI
 * or MSI vector; an interrupt masks its line and signals the handler's
 * notification; IRQ_HANDLER_ACK unmasks it. IOPort caps name a port range.
 */
#include <types.h>
#include <kprintf.h>
#include <cap.h>
#include <cspace.h>
#include <inv.h>
#include <irq.h>
#include <notification.h>
#include <arch/cpu.h>
#include <arch/pcpu.h>
#include <arch/apic.h>

struct irq_state {
	bool issued;
	bool is_msi;
	struct notification *ntfn;
	uint64_t badge;
};
static struct irq_state irqs[IRQ_COUNT];

#define CONSOLE_FIRST 0x3f8
#define CONSOLE_LAST 0x3ff

void irq_init(void)
{
	memset(irqs, 0, sizeof(irqs));
}

void irq_deliver(unsigned irq)
{
	struct irq_state *s = &irqs[irq];
	if (!s->is_msi)
		ioapic_mask(irq, 1);
	if (s->issued && s->ntfn)
		ntfn_signal(s->ntfn, s->badge);
}

void irq_forget_ntfn(struct notification *n)
{
	for (unsigned i = 0; i < IRQ_COUNT; i++)
		if (irqs[i].ntfn == n)
			irqs[i].ntfn = NULL;
}

void irq_handler_finalise(unsigned irq)
{
	struct irq_state *s = &irqs[irq];
	if (!s->is_msi)
		ioapic_mask(irq, 1);
	s->issued = false;
	s->ntfn = NULL;
}

static abi_error_t dest_slot(struct inv *iv, struct cte **out)
{
	if (iv->ncaps < 1 || !iv->caps[0])
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	struct lookup l = cspace_lookup_slot(&iv->caps[0]->cap, inv_arg(iv, 0), inv_arg(iv, 1));
	if (l.err)
		return inv_err(iv, E_FAILED_LOOKUP, 0, l.fault);
	if (!cap_is_null(&l.slot->cap))
		return inv_err(iv, E_DELETE_FIRST, 0, 0);
	*out = l.slot;
	return E_OK;
}

abi_error_t decode_irq_control(struct inv *iv)
{
	struct cte *slot;
	abi_error_t e;

	if (iv->label == IRQ_CONTROL_GET_IOAPIC) {
		if (iv->len < 5)
			return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
		uint64_t gsi = inv_arg(iv, 2), level = inv_arg(iv, 3), low = inv_arg(iv, 4);
		uint64_t n = ioapic_gsi_count();
		if (n > IRQ_IOAPIC_COUNT)
			n = IRQ_IOAPIC_COUNT;
		if (gsi >= n || !ioapic_gsi_valid((uint32_t)gsi))
			return inv_err(iv, E_RANGE, 0, n ? n - 1 : 0);
		if (level > 1 || low > 1)
			return inv_err(iv, E_INVALID_ARGUMENT, level > 1 ? 3 : 4, 0);
		if ((e = dest_slot(iv, &slot)))
			return e;
		if (irqs[gsi].issued)
			return inv_err(iv, E_BUSY, 0, 0);
		irqs[gsi].issued = true;
		irqs[gsi].is_msi = false;
		irqs[gsi].ntfn = NULL;
		ioapic_route((uint32_t)gsi, (uint8_t)(IRQ_VECTOR_BASE + gsi), (int)level, (int)low, pcpus[0].apic_id);
		ioapic_mask((uint32_t)gsi, 1);
		cte_insert_child(iv->slot, slot, cap_make(CAP_IRQ_HANDLER, RIGHTS_ALL, gsi, 0));
		return E_OK;
	}
	if (iv->label == IRQ_CONTROL_GET_MSI) {
		if (iv->len < 3)
			return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
		uint64_t m = inv_arg(iv, 2);
		if (m >= IRQ_MSI_COUNT)
			return inv_err(iv, E_RANGE, 0, IRQ_MSI_COUNT - 1);
		if ((e = dest_slot(iv, &slot)))
			return e;
		unsigned irq = IRQ_MSI_BASE + (unsigned)m;
		if (irqs[irq].issued)
			return inv_err(iv, E_BUSY, 0, 0);
		irqs[irq].issued = true;
		irqs[irq].is_msi = true;
		irqs[irq].ntfn = NULL;
		cte_insert_child(iv->slot, slot, cap_make(CAP_IRQ_HANDLER, RIGHTS_ALL, irq, 0));
		inv_set_result(iv, 0, 0xfee00000ull | ((uint64_t)pcpus[0].apic_id << 12));
		inv_set_result(iv, 1, IRQ_VECTOR_BASE + irq);
		return E_OK;
	}
	return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
}

abi_error_t decode_irq_handler(struct inv *iv)
{
	unsigned irq = cap_irq(iv->cap);
	struct irq_state *s = &irqs[irq];

	switch (iv->label) {
	case IRQ_HANDLER_SET_NOTIFICATION: {
		if (iv->ncaps == 0) {      /* no cap: stop delivering */
			s->ntfn = NULL;
			if (!s->is_msi)
				ioapic_mask(irq, 1);
			return E_OK;
		}
		struct cap *nc = iv->caps[0] ? &iv->caps[0]->cap : NULL;
		if (!nc || cap_type(nc) != OBJ_NOTIFICATION)
			return inv_err(iv, E_INVALID_CAPABILITY, 1, 0);
		if (!(cap_rights(nc) & RIGHT_WRITE))
			return inv_err(iv, E_NO_RIGHTS, 1, 0);
		s->ntfn = cap_ptr(nc);
		s->badge = cap_badge(nc);
		if (!s->is_msi)
			ioapic_mask(irq, 0);
		return E_OK;
	}
	case IRQ_HANDLER_ACK:
		if (!s->is_msi && s->ntfn)
			ioapic_mask(irq, 0);
		return E_OK;
	case IRQ_HANDLER_CLEAR:
		s->ntfn = NULL;
		if (!s->is_msi)
			ioapic_mask(irq, 1);
		return E_OK;
	}
	return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
}

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
	if (first <= CONSOLE_LAST && last >= CONSOLE_FIRST)
		return inv_err(iv, E_BUSY, CONSOLE_FIRST, CONSOLE_LAST);
	/* the destination slot arguments are words 2 and 3 */
	if (iv->ncaps < 1 || !iv->caps[0])
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	struct lookup l = cspace_lookup_slot(&iv->caps[0]->cap, inv_arg(iv, 2), inv_arg(iv, 3));
	if (l.err)
		return inv_err(iv, E_FAILED_LOOKUP, 0, l.fault);
	if (!cap_is_null(&l.slot->cap))
		return inv_err(iv, E_DELETE_FIRST, 0, 0);
	slot = l.slot;
	(void)e;
	struct cap c = cap_make(CAP_IOPORT, RIGHTS_ALL, first, last);
	cte_insert_child(iv->slot, slot, c);
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
