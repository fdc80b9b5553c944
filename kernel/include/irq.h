/* Interrupt delivery to notifications, and the IRQ/IOPort capabilities. */
#ifndef IRQ_H
#define IRQ_H

#include <cap.h>

#define IRQ_VECTOR_BASE 0x30
#define IRQ_IOAPIC_COUNT 64        /* GSIs 0..63 -> irq 0..63 */
#define IRQ_MSI_BASE 64
#define IRQ_MSI_COUNT 64
#define IRQ_COUNT (IRQ_MSI_BASE + IRQ_MSI_COUNT)

#define VEC_TIMER 0xef
#define VEC_IPI 0xf0
#define VEC_SPURIOUS 0xff

struct notification;
void irq_init(void);
void irq_deliver(unsigned irq);
void irq_forget_ntfn(struct notification *n);
void irq_handler_finalise(unsigned irq);

struct inv;
abi_error_t decode_irq_control(struct inv *iv);
abi_error_t decode_irq_handler(struct inv *iv);
abi_error_t decode_ioport_control(struct inv *iv);
abi_error_t decode_ioport(struct inv *iv);

#endif
