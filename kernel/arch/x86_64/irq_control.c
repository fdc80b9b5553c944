/*
 * IRQ control on x86_64: handler caps for IOAPIC lines (GSIs, with their
 * trigger mode and polarity) and for MSIs (the reply gives the message
 * address and data a device must write). Lines are routed to the boot
 * CPU, masked until the handler has a notification.
 */
#include <types.h>
#include <cap.h>
#include <inv.h>
#include <irq.h>
#include <arch/apic.h>
#include <arch/irq.h>
#include <arch/pcpu.h>

void arch_irq_line_mask(unsigned irq, bool masked)
{
	ioapic_mask(irq, masked);
}

struct irq_control_ioapic_op {
	unsigned irq;              /* the line to issue, free */
	struct cte *slot;          /* for its handler cap, empty */
	bool level, active_low;
};

static abi_error_t decode_irq_control_ioapic(struct inv *iv, struct irq_control_ioapic_op *op)
{
	struct irq_control_get_ioapic_args a;
	abi_error_t e;
	if (inv_get_irq_control_get_ioapic(iv, &a))
		return E_TRUNCATED_MESSAGE;
	uint64_t n = ioapic_gsi_count();
	if (n > IRQ_IOAPIC_COUNT)
		n = IRQ_IOAPIC_COUNT;
	if (a.gsi >= n || !ioapic_gsi_valid((uint32_t)a.gsi))
		return inv_err(iv, E_RANGE, 0, n ? n - 1 : 0);
	if (a.level > 1 || a.active_low > 1)
		return inv_err(iv, E_INVALID_ARGUMENT, a.level > 1 ? 3 : 4, 0);
	if ((e = inv_empty_slot(iv, a.root, a.index, a.depth, &op->slot)))
		return e;
	if (irq_issued((unsigned)a.gsi))
		return inv_err(iv, E_BUSY, 0, 0);
	op->irq = (unsigned)a.gsi;
	op->level = a.level;
	op->active_low = a.active_low;
	return E_OK;
}

static void invoke_irq_control_ioapic(struct inv *iv, const struct irq_control_ioapic_op *op)
{
	irq_issue(op->irq, false);
	ioapic_route(op->irq, (uint8_t)(IRQ_VECTOR_BASE + op->irq), op->level, op->active_low, pcpus[0].apic_id);
	ioapic_mask(op->irq, 1);
	cte_insert_child(iv->slot, op->slot, cap_make(CAP_IRQ_HANDLER, RIGHTS_ALL, op->irq, 0));
}

struct irq_control_msi_op {
	unsigned irq;              /* the MSI's IRQ, free */
	struct cte *slot;          /* for its handler cap, empty */
};

static abi_error_t decode_irq_control_msi(struct inv *iv, struct irq_control_msi_op *op)
{
	struct irq_control_get_msi_args a;
	abi_error_t e;
	if (inv_get_irq_control_get_msi(iv, &a))
		return E_TRUNCATED_MESSAGE;
	if (a.msi_number >= IRQ_MSI_COUNT)
		return inv_err(iv, E_RANGE, 0, IRQ_MSI_COUNT - 1);
	if ((e = inv_empty_slot(iv, a.root, a.index, a.depth, &op->slot)))
		return e;
	op->irq = IRQ_MSI_BASE + (unsigned)a.msi_number;
	if (irq_issued(op->irq))
		return inv_err(iv, E_BUSY, 0, 0);
	return E_OK;
}

static void invoke_irq_control_msi(struct inv *iv, const struct irq_control_msi_op *op)
{
	irq_issue(op->irq, true);
	cte_insert_child(iv->slot, op->slot, cap_make(CAP_IRQ_HANDLER, RIGHTS_ALL, op->irq, 0));
	inv_reply_irq_control_get_msi(iv, 0xfee00000ull | ((uint64_t)pcpus[0].apic_id << 12),
				      IRQ_VECTOR_BASE + op->irq);
}

abi_error_t decode_irq_control(struct inv *iv)
{
	switch (iv->label) {
	case IRQ_CONTROL_GET_IOAPIC:
		DECODE_INVOKE(irq_control_ioapic, iv);
	case IRQ_CONTROL_GET_MSI:
		DECODE_INVOKE(irq_control_msi, iv);
	}
	return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
}
