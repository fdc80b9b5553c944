/*
 * The Intel 8254x/8257x gigabit Ethernet controllers as QEMU models them
 * (e1000: 82540EM, pc's default NIC; e1000e: 82574L, q35's default): one
 * driver core, the models' differences in a table (struct e1000_model).
 * Legacy receive and transmit descriptors, frames DMA'd straight from and
 * into the Uplink streams (nic_port.h), link changes reported.
 */
#ifndef E1000_CORE_H
#define E1000_CORE_H

#include <argil/component.h>
#include <stdbool.h>
#include <stdint.h>

struct e1000_model {
	const char *name;            /* "82540EM" */
	uint16_t vendor, product;
	bool msix;                   /* interrupt causes to MSI-X vectors through IVAR */
	/* EERD: where the done bit, the word address and the data are */
	unsigned eerd_done_shift, eerd_addr_shift;
};

/* Drive the first device of the models (n of them) that the Platform
 * session shows; returns only on failure (the component then exits). */
void e1000_start(struct component_env *env, const struct e1000_model *models, unsigned n);

#endif
