# Port of ACPICA, Intel's ACPI Component Architecture: the table manager,
# the AML interpreter, the hardware and event layers (docs/ports.md). A
# component that names it (LIBS := acpica) gets <acpi/acpi.h> and
# build/ports/acpica/acpica.a and must provide the OS services layer
# (the acpi_os_* functions; drivers/acpi/osl.c does). rules.mk builds it.
#
# The source: Debian's acpica-unix 20200925-8 cannot be fetched here (its
# .orig.tar.gz and .debian.tar.xz answer 404 on this machine's mirror, only
# the .dsc is there), so the port takes ACPICA release 20220331 as the
# Linux kernel carries it (drivers/acpi/acpica, include/acpi; licensed
# BSD-3-Clause OR GPL-2.0 in every file) from Debian's linux source package.
NAME := acpica
KIND := port
LIBS := libc
PORT_PACKAGE := linux
PORT_VERSION := 6.1.8-1
PORT_FILES   := linux_6.1.8-1.dsc:323267173a423cbda2ddf712efb37ce2db131589673d8406c24c805fe9e2926e \
                linux_6.1.8.orig.tar.xz:d651978776b1072f193e55a60d476e99e08607fe03a5704dbc79e398dc50096f \
                linux_6.1.8-1.debian.tar.xz:e3b8785fac0c87df640c4200b014e9cb768693f547e12eb534001c65e18bb5ad
PORT_PATCHES := 0001-argil-environment.patch 0002-no-kmemleak.patch
INCLUDE := $(BUILD)/ports/acpica/include
