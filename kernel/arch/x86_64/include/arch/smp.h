/* Starting the application processors. */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <stdint.h>

struct pcpu;

void smp_start_aps(void);
/* Interrupt CPU q to look at its remote_req (smp.c). */
void arch_send_ipi(struct pcpu *q);
/* The address-space part of a remote request on this CPU p:
 * REMOTE_RELOAD_CR3 and REMOTE_FLUSH_TLB for the space p->remote_cr3. */
void arch_remote_vspace(struct pcpu *p, uint32_t req);
void ap_main(unsigned cpu) __attribute__((noreturn));

#endif
