/* Interrupt delivery to notifications, and the IRQ/IOPort capabilities. */
#ifndef IRQ_H
#define IRQ_H

#include <cap.h>
#include <arch/irq.h>

struct notification;
void irq_init(void);
void irq_deliver(unsigned irq);
void irq_forget_ntfn(struct notification *n);
void irq_handler_finalise(unsigned irq);
/* For the architecture's IRQ control: whether irq has a handler cap, and
 * giving it one (line: masked until a notification is set). */
bool irq_issued(unsigned irq);
void irq_issue(unsigned irq, bool is_msi);

struct inv;
abi_error_t decode_irq_control(struct inv *iv);
abi_error_t decode_irq_handler(struct inv *iv);
abi_error_t decode_ioport_control(struct inv *iv);
abi_error_t decode_ioport(struct inv *iv);

#endif
