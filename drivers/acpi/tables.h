/*
 * The acpi report's parts (tables.c: the static tables; routing.c: the
 * PCI interrupt routing from _PRT), written as lines of <acpi>.
 */
#ifndef ACPI_TABLES_H
#define ACPI_TABLES_H

#include <stdbool.h>
#include <stdint.h>
#include "text.h"

struct sci_info {
	uint32_t gsi;
	bool level, low;
};

/* The SCI's GSI, trigger and polarity: FADT and MADT override. */
void tables_sci(struct sci_info *s);
/* ecam, ioapic, override, sci */
void tables_report_head(struct text *t, const struct sci_info *sci);
/* dmar, reserved, hpet, reset, sleep */
void tables_report_tail(struct text *t);
/* routing: _PRT of every host bridge and PCI bridge; the number of
 * routing lines, -1 after an error (logged) */
int routing_report(struct text *t);

#endif
