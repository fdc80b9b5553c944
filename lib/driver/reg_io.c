/*
 * Register access over MMIO or I/O ports (driver_reg.h). MMIO accesses
 * are single volatile loads and stores of the register's width (devices
 * care); port accesses are the kernel's IOPORT invocations on the
 * capability the Platform session gave. In the host tests
 * (ARGIL_HOST_TEST) ports go to functions the test supplies (none: any
 * port access aborts), and each MMIO write is told to host_mmio_written
 * (a test's model of a device answers it there; by default nothing does).
 */
#include <driver_reg.h>
#ifndef ARGIL_HOST_TEST
#include <argil/kernel.h>
#else
#include <stdlib.h>

/* a test that supplies no ports has a device without any */
__attribute__((weak)) uint64_t host_port_in(uint16_t port, unsigned size)
{
	(void)port;
	(void)size;
	abort();
}

__attribute__((weak)) void host_port_out(uint16_t port, unsigned size, uint64_t v)
{
	(void)port;
	(void)size;
	(void)v;
	abort();
}

__attribute__((weak)) void host_mmio_written(volatile void *p, unsigned size)
{
	(void)p;
	(void)size;
}
#endif

uint64_t reg_io_read(const struct reg_io *io, unsigned offset, unsigned size)
{
	if (io->mmio) {
		volatile uint8_t *p = io->mmio + offset;
		switch (size) {
		case 1: return *p;
		case 2: return *(volatile uint16_t *)p;
		case 4: return *(volatile uint32_t *)p;
		case 8: return *(volatile uint64_t *)p;
		}
		return ~0ull;
	}
#ifdef ARGIL_HOST_TEST
	return host_port_in((uint16_t)(io->port + offset), size);
#else
	word_t v = ~0ul;
	abi_error_t e = E_INVALID_ARGUMENT;
	word_t port = io->port + offset;

	if (size == 1)
		e = ioport_in8(io->port_cap, port, &v);
	else if (size == 2)
		e = ioport_in16(io->port_cap, port, &v);
	else if (size == 4)
		e = ioport_in32(io->port_cap, port, &v);
	if (e != E_OK)
		return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
	return v;
#endif
}

void reg_io_write(const struct reg_io *io, unsigned offset, unsigned size, uint64_t v)
{
	if (io->mmio) {
		volatile uint8_t *p = io->mmio + offset;
		switch (size) {
		case 1: *p = (uint8_t)v; break;
		case 2: *(volatile uint16_t *)p = (uint16_t)v; break;
		case 4: *(volatile uint32_t *)p = (uint32_t)v; break;
		case 8: *(volatile uint64_t *)p = v; break;
		}
#ifdef ARGIL_HOST_TEST
		host_mmio_written(p, size);
#endif
		return;
	}
#ifdef ARGIL_HOST_TEST
	host_port_out((uint16_t)(io->port + offset), size, v);
#else
	word_t port = io->port + offset;

	if (size == 1)
		ioport_out8(io->port_cap, port, v);
	else if (size == 2)
		ioport_out16(io->port_cap, port, v);
	else if (size == 4)
		ioport_out32(io->port_cap, port, v);
#endif
}
