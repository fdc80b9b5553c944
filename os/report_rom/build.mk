# The Report service that makes reports into ROMs (README.md).
NAME := report_rom
KIND := component
LIBS := report_session rom_server
