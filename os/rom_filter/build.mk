# Derives a ROM from other ROMs by a config (README.md).
NAME := rom_filter
KIND := component
LIBS := report_session rom_server
