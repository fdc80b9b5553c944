# acpi: ACPICA on Argil: the tables, the AML interpreter, the acpi report,
# the power button (S5) and the reset register (README.md, docs/devices.md).
NAME := acpi
KIND := component
LIBS := acpica libc timer_session report_session platform_session
