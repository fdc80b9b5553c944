/*
 * e1000e: the 82574L (QEMU's e1000e, q35's default NIC) through the
 * shared core (e1000_core.h): receive, transmit and link causes on three
 * MSI-X vectors (IVAR), MSI or the legacy line where MSI-X is not given.
 */
#include <e1000_core.h>

/* 82574 EERD: done at bit 1, the word address from bit 2 */
static const struct e1000_model models[] = {
	{ "82574L", 0x8086, 0x10d3, true, 1, 2 },
};

void component_construct(struct component_env *env)
{
	e1000_start(env, models, sizeof(models) / sizeof(models[0]));
}
