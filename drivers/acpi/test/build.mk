# acpi_test: prints the acpi report and checks it, plays a component that
# finishes on shutdown, asks for a reboot (run/acpi_test, run/acpi_reset_test).
NAME := acpi_test
KIND := component
LIBS := report_session
