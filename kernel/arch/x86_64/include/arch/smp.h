/* Starting the application processors. */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

void smp_start_aps(void);
void ap_main(unsigned cpu) __attribute__((noreturn));

#endif
