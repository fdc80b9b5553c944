/*
 * Interrupt numbering on x86_64. The portable kernel (irq.c) knows IRQs
 * 0..IRQ_COUNT-1: the IOAPIC lines (GSIs) first, then the MSI vectors.
 * Each IRQ has its own CPU vector; the LAPIC timer and IPIs have fixed
 * vectors above them.
 */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include <stdint.h>
#include <stdbool.h>

#define IRQ_VECTOR_BASE 0x30
#define IRQ_IOAPIC_COUNT 64        /* GSIs 0..63 -> irq 0..63 */
#define IRQ_MSI_BASE 64
#define IRQ_MSI_COUNT 64
#define IRQ_COUNT (IRQ_MSI_BASE + IRQ_MSI_COUNT)

#define VEC_TIMER 0xef
#define VEC_IPI 0xf0
#define VEC_SPURIOUS 0xff

/* Mask or unmask an interrupt line (an IOAPIC GSI; MSIs are not masked). */
void arch_irq_line_mask(unsigned irq, bool masked);

#endif
