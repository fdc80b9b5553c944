/*
 * Device registers and their fields, each defined once (STYLE.md 12: no
 * shifts and masks repeated at the uses):
 *
 *   REG(I8042_STATUS, 0x4, 8)               register at offset 4, 8 bits
 *   FIELD(I8042_STATUS, OUT_FULL, 0, 1)     its bit 0
 *   FIELD(I8042_STATUS, AUX, 5, 1)
 *
 *   uint8_t s = REG_READ(&io, I8042_STATUS);
 *   if (FIELD_GET(I8042_STATUS, OUT_FULL, s)) ...
 *   v = FIELD_INSERT(CFG, IRQ1, v, 1);      v with the field replaced
 *   REG_WRITE(&io, CFG, FIELD_SET(CFG, IRQ1, 1) | FIELD_SET(CFG, IRQ12, 1));
 *   REG_UPDATE(&io, CFG, IRQ1, 0);          read, insert, write back
 *
 * REG(name, offset, width) makes name_OFF and the type name_t (uint8_t ..
 * uint64_t by width); FIELD(reg, name, shift, bits) makes reg_name_SHIFT
 * and reg_name_BITS and checks at compile time that the field lies inside
 * the register. FIELD_GET extracts, FIELD_SET places a value (cut to the
 * field's bits), FIELD_INSERT replaces the field in a register value;
 * FIELD_MAX is the field's largest value.
 *
 * A struct reg_io is where registers live: memory-mapped (mmio, the
 * register block's address) or I/O ports (a kernel I/O port capability
 * and the first port). Portable (reg_io.c); the host tests use MMIO over
 * ordinary memory.
 */
#ifndef DRIVER_REG_H
#define DRIVER_REG_H

#include <argil/abi.h>
#include <stdint.h>

#define REG_TYPE_8 uint8_t
#define REG_TYPE_16 uint16_t
#define REG_TYPE_32 uint32_t
#define REG_TYPE_64 uint64_t

#define REG(name, offset, width)                                                    \
	enum { name##_OFF = (offset) };                                             \
	typedef REG_TYPE_##width name##_t

#define FIELD(reg, name, shift, bits)                                               \
	enum { reg##_##name##_SHIFT = (shift), reg##_##name##_BITS = (bits) };      \
	_Static_assert((bits) > 0 && (shift) + (bits) <= 8 * sizeof(reg##_t),       \
		       #reg "." #name " does not fit the register")

#define FIELD_MAX(reg, name)                                                        \
	((uint64_t)(((uint64_t)1 << (reg##_##name##_BITS - 1) << 1) - 1))
#define FIELD_MASK(reg, name) ((reg##_t)(FIELD_MAX(reg, name) << reg##_##name##_SHIFT))
#define FIELD_GET(reg, name, v)                                                     \
	((reg##_t)(((reg##_t)(v) >> reg##_##name##_SHIFT) & FIELD_MAX(reg, name)))
#define FIELD_SET(reg, name, x)                                                     \
	((reg##_t)(((uint64_t)(x) & FIELD_MAX(reg, name)) << reg##_##name##_SHIFT))
#define FIELD_INSERT(reg, name, v, x)                                               \
	((reg##_t)(((reg##_t)(v) & (reg##_t)~FIELD_MASK(reg, name)) | FIELD_SET(reg, name, x)))

/* Where a register block is. */
struct reg_io {
	volatile uint8_t *mmio;  /* memory-mapped block (NULL: ports) */
	cptr_t port_cap;         /* kernel I/O port capability */
	uint16_t port;           /* the block's first port */
};

static inline struct reg_io reg_io_mmio(volatile void *base)
{
	return (struct reg_io){ .mmio = base };
}

static inline struct reg_io reg_io_port(cptr_t cap, uint16_t first)
{
	return (struct reg_io){ .port_cap = cap, .port = first };
}

/* Access of size bytes (1, 2, 4, 8; 8 only on MMIO) at offset. A port
 * access the kernel refuses reads as all ones. */
uint64_t reg_io_read(const struct reg_io *io, unsigned offset, unsigned size);
void reg_io_write(const struct reg_io *io, unsigned offset, unsigned size, uint64_t v);

#define REG_READ(io, reg) ((reg##_t)reg_io_read((io), reg##_OFF, sizeof(reg##_t)))
#define REG_WRITE(io, reg, v) reg_io_write((io), reg##_OFF, sizeof(reg##_t), (reg##_t)(v))
#define REG_UPDATE(io, reg, name, x)                                                \
	REG_WRITE(io, reg, FIELD_INSERT(reg, name, REG_READ(io, reg), x))
/* A register at offset + index * stride (arrays of registers). */
#define REG_READ_AT(io, reg, extra) ((reg##_t)reg_io_read((io), reg##_OFF + (extra), sizeof(reg##_t)))
#define REG_WRITE_AT(io, reg, extra, v)                                             \
	reg_io_write((io), reg##_OFF + (extra), sizeof(reg##_t), (reg##_t)(v))

#endif
