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
		if ((e = inv_empty_slot(iv, 0, inv_arg(iv, 0), inv_arg(iv, 1), &slot)))
			return e;
		if (irq_issued((unsigned)gsi))
			return inv_err(iv, E_BUSY, 0, 0);
		irq_issue((unsigned)gsi, false);
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
		if ((e = inv_empty_slot(iv, 0, inv_arg(iv, 0), inv_arg(iv, 1), &slot)))
			return e;
		unsigned irq = IRQ_MSI_BASE + (unsigned)m;
		if (irq_issued(irq))
			return inv_err(iv, E_BUSY, 0, 0);
		irq_issue(irq, true);
		cte_insert_child(iv->slot, slot, cap_make(CAP_IRQ_HANDLER, RIGHTS_ALL, irq, 0));
		inv_set_result(iv, 0, 0xfee00000ull | ((uint64_t)pcpus[0].apic_id << 12));
		inv_set_result(iv, 1, IRQ_VECTOR_BASE + irq);
		return E_OK;
	}
	return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
}
