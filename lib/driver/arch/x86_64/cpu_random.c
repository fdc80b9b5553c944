/*
 * RDRAND (driver_cpu.h). CPUID.1:ECX bit 30 says whether the CPU has it;
 * RDRAND sets CF when the value is valid, and may fail transiently, so a
 * few retries are allowed (Intel's DRNG guide suggests ten).
 */
#include <driver_cpu.h>

#define RDRAND_RETRIES 10

bool cpu_has_random(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (c >> 30) & 1;
}

bool cpu_random64(uint64_t *v)
{
	if (!cpu_has_random())
		return false;
	for (int i = 0; i < RDRAND_RETRIES; i++) {
		uint8_t ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
		if (ok)
			return true;
	}
	return false;
}
