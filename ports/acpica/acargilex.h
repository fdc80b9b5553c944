/*
 * ACPICA's host configuration for Argil, the part read after ACPICA's own
 * types (acpi/platform/acenvex.h): nothing is needed there yet.
 */
#ifndef __ACARGILEX_H__
#define __ACARGILEX_H__
#endif
