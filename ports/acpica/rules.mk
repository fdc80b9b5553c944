# Build rules of the ACPICA port (build.mk is the recipe), read by
# ports/port.mk. Built: ACPICA's components as the Linux tree holds them
# in one folder, drivers/acpi/acpica/: dispatcher (ds*), events (ev*),
# executer (ex*), hardware (hw*), namespace (ns*), parser (ps*),
# resources (rs*), tables (tb*) and utilities (ut*). Not built: the
# debugger (db*) and rsdump.c, which only the debugger calls, and
# utprint.c, ACPICA's own printf family for hosts without a C library
# (the C library port has them). ACPICA's object caches (utcache.c) are
# built, which Linux replaces by its slab caches. The headers are installed under $(OUT)/include/acpi
# with Argil's acargil.h and acargilex.h (this folder).
ACPICA := $(SRC)/drivers/acpi/acpica
SRCS := $(filter-out $(ACPICA)/rsdump.c $(ACPICA)/utprint.c,\
        $(foreach c,ds ev ex hw ns ps rs tb ut,$(wildcard $(ACPICA)/$(c)*.c)))

# -D__argil__ selects acargil.h (0001-argil-environment.patch); the C
# library port's headers come through -isystem (LIBS := libc)
PORT_CFLAGS := -std=gnu11 -nostdinc -D__argil__ -w -fno-strict-aliasing \
               -I$(ACPICA) -I$(OUT)/include
PORT_HEADERS := $(OUT)/include/acpi/platform/acargil.h

ACPICA_ENV := $(PORT_DIR)/acargil.h $(PORT_DIR)/acargilex.h
$(OUT)/include/acpi/platform/acargil.h: $(ACPICA_ENV) $(SRC)/include/acpi/acpi.h
	@rm -rf $(OUT)/include && mkdir -p $(OUT)/include
	cp -R $(SRC)/include/acpi $(OUT)/include/
	cp $(ACPICA_ENV) $(OUT)/include/acpi/platform/
