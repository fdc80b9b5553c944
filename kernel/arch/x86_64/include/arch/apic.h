/* Local APIC, IOAPICs and the legacy 8259 PICs (which we only disable). */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <stdint.h>

void pic_disable(void);
void lapic_init(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_init(uint32_t apic_id);
void lapic_send_sipi(uint32_t apic_id, uint8_t page);
void lapic_timer_periodic(uint8_t vector, uint32_t period_us);
void lapic_timer_stop(void);
uint32_t lapic_timer_current(void);
void lapic_timer_start_raw(uint32_t count);   /* one-shot, masked, divide 16 */

void ioapic_init(void);
int ioapic_route(uint32_t gsi, uint8_t vector, int level, int active_low, uint32_t dest_apic_id);
void ioapic_mask(uint32_t gsi, int masked);
int ioapic_gsi_valid(uint32_t gsi);
uint32_t ioapic_gsi_count(void);

#endif
