# The server side of dynamic ROMs (include/rom_server.h), for servers that
# hand out ROMs whose content changes: report_rom, rom_filter, the testbed.
NAME := rom_server
KIND := library
