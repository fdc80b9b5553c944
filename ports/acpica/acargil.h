/*
 * ACPICA's host configuration for Argil (selected by -D__argil__ through
 * 0001-argil-environment.patch; installed as <acpi/platform/acargil.h>).
 * ACPICA runs inside one component (drivers/acpi) on x86_64, linked with
 * the C library port (musl headers, base's malloc), and the OS services
 * layer it calls (acpi_os_*) is that component's osl.c.
 */
#ifndef __ACARGIL_H__
#define __ACARGIL_H__

/* string, memory and ctype functions from the C library port */
#define ACPI_USE_SYSTEM_CLIBRARY
#define ACPI_USE_STANDARD_HEADERS
#define ACPI_USE_DO_WHILE_0

/* x86_64: 64-bit integers and pointers, native 64-bit division */
#define ACPI_MACHINE_WIDTH 64
#define COMPILER_DEPENDENT_INT64 long
#define COMPILER_DEPENDENT_UINT64 unsigned long

/* ACPICA's own object caches, built on acpi_os_allocate (utcache.c) */
#define ACPI_USE_LOCAL_CACHE

/* the PCI configuration space is reached (through the platform driver) */
#define ACPI_PCI_CONFIGURED

/* what the AML interpreter may repair in packages, as Linux does */
#define ACPI_IGNORE_PACKAGE_RESOLUTION_ERRORS

/*
 * The cache write-back before a sleep state. WBINVD is privileged and a
 * component cannot run it; Argil enters only S5 (power off), where the
 * caches' contents do not matter. S1..S3 would need a kernel service.
 */
#define ACPI_FLUSH_CPU_CACHE()

/*
 * The FACS global lock (ACPI 6.4, 5.2.10.1), shared with the firmware:
 * acquire sets Owned, or Pending when it was owned; release clears both and
 * says whether the firmware waits (then GBL_RLS is written). osl.c.
 */
int acpi_argil_acquire_global_lock(void *facs);
int acpi_argil_release_global_lock(void *facs);
#define ACPI_ACQUIRE_GLOBAL_LOCK(facs, acquired) \
	((acquired) = acpi_argil_acquire_global_lock(facs))
#define ACPI_RELEASE_GLOBAL_LOCK(facs, pending) \
	((pending) = acpi_argil_release_global_lock(facs))

/* error and warning prefixes of acpi_error() & co. (osl.c logs them) */
#define ACPI_MSG_ERROR "ACPI error: "
#define ACPI_MSG_EXCEPTION "ACPI exception: "
#define ACPI_MSG_WARNING "ACPI warning: "
#define ACPI_MSG_INFO "ACPI: "
#define ACPI_MSG_BIOS_ERROR "ACPI firmware error: "
#define ACPI_MSG_BIOS_WARNING "ACPI firmware warning: "

/* the Linux-style sources use these declarators */
#ifndef __init
#define __init
#endif
#ifndef __iomem
#define __iomem
#endif

#endif
