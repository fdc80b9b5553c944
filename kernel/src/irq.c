/*
 * Device interrupts. An IRQ handler cap names one interrupt line or MSI
 * (issued by the architecture's IRQ control, arch/.../irq_control.c); an
 * interrupt masks its line and signals the handler's notification;
 * IRQ_HANDLER_ACK unmasks it.
 */
#include <types.h>
#include <kprintf.h>
#include <cap.h>
#include <cspace.h>
#include <inv.h>
#include <irq.h>
#include <notification.h>

struct irq_state {
	bool issued;
	bool is_msi;
	struct notification *ntfn;
	uint64_t badge;
};
static struct irq_state irqs[IRQ_COUNT];

void irq_init(void)
{
	memset(irqs, 0, sizeof(irqs));
}

void irq_deliver(unsigned irq)
{
	struct irq_state *s = &irqs[irq];
	if (!s->is_msi)
		arch_irq_line_mask(irq, true);
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
		arch_irq_line_mask(irq, true);
	s->issued = false;
	s->ntfn = NULL;
}

bool irq_issued(unsigned irq)
{
	return irqs[irq].issued;
}

void irq_issue(unsigned irq, bool is_msi)
{
	irqs[irq].issued = true;
	irqs[irq].is_msi = is_msi;
	irqs[irq].ntfn = NULL;
}

struct irq_handler_set_notification_op {
	struct irq_state *s;
	unsigned irq;
	struct cap *ntfn;          /* the new one, or NULL: none */
};

static abi_error_t decode_irq_handler_set_notification(struct inv *iv, struct irq_handler_set_notification_op *op)
{
	struct irq_handler_set_notification_args a;
	op->irq = cap_irq(iv->cap);
	op->s = &irqs[op->irq];
	op->ntfn = NULL;
	if (iv->ncaps == 0)        /* no cap: stop delivering */
		return E_OK;
	inv_get_irq_handler_set_notification(iv, &a);
	struct cap *nc = a.ntfn ? &a.ntfn->cap : NULL;
	if (!nc || cap_type(nc) != OBJ_NOTIFICATION)
		return inv_err(iv, E_INVALID_CAPABILITY, 1, 0);
	if (!(cap_rights(nc) & RIGHT_WRITE))
		return inv_err(iv, E_NO_RIGHTS, 1, 0);
	op->ntfn = nc;
	return E_OK;
}

static void invoke_irq_handler_set_notification(struct inv *iv, const struct irq_handler_set_notification_op *op)
{
	struct irq_state *s = op->s;
	(void)iv;
	if (!op->ntfn) {
		s->ntfn = NULL;
		if (!s->is_msi)
			arch_irq_line_mask(op->irq, true);
		return;
	}
	s->ntfn = cap_ptr(op->ntfn);
	s->badge = cap_badge(op->ntfn);
	if (!s->is_msi)
		arch_irq_line_mask(op->irq, false);
}

abi_error_t decode_irq_handler(struct inv *iv)
{
	unsigned irq = cap_irq(iv->cap);
	struct irq_state *s = &irqs[irq];

	switch (iv->label) {
	case IRQ_HANDLER_SET_NOTIFICATION:
		DECODE_INVOKE(irq_handler_set_notification, iv);
	case IRQ_HANDLER_ACK:      /* nothing to decode */
		if (!s->is_msi && s->ntfn)
			arch_irq_line_mask(irq, false);
		return E_OK;
	case IRQ_HANDLER_CLEAR:    /* nothing to decode */
		s->ntfn = NULL;
		if (!s->is_msi)
			arch_irq_line_mask(irq, true);
		return E_OK;
	}
	return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
}
