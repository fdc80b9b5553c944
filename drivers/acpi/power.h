/*
 * Power button, shutdown and reboot (power.c).
 */
#ifndef ACPI_POWER_H
#define ACPI_POWER_H

#include <argil/config.h>
#include <argil/entrypoint.h>
#include <stdbool.h>

/* Read <config>'s shutdown_timeout_ms and wait_for nodes (NULL: none). */
bool power_config(struct entrypoint *ep, const struct cfg_node *config);
/* Publish the system report, watch the ROMs, install the power button's
 * handler (ACPICA's events are running). */
bool power_start(void);

#endif
