/*
 * e1000: the 8254x gigabit controllers with the 82540EM's register set
 * (QEMU's e1000, pc's default NIC; legacy interrupt through the line the
 * acpi report routes), through the shared core (e1000_core.h).
 */
#include <e1000_core.h>

/* 8254x EERD: done at bit 4, the word address from bit 8 */
static const struct e1000_model models[] = {
	{ "82540EM", 0x8086, 0x100e, false, 4, 8 },
};

void component_construct(struct component_env *env)
{
	e1000_start(env, models, sizeof(models) / sizeof(models[0]));
}
