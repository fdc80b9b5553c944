/*
 * The CPU's own random number generator, as a second entropy source
 * (lib/driver/arch/<arch>/cpu_random.c; x86_64: RDRAND where CPUID leaf 1
 * says the CPU has it).
 */
#ifndef DRIVER_CPU_H
#define DRIVER_CPU_H

#include <stdbool.h>
#include <stdint.h>

bool cpu_has_random(void);
/* One 64-bit random value; false when the CPU gives none (after retries)
 * or has no generator. */
bool cpu_random64(uint64_t *v);

#endif
