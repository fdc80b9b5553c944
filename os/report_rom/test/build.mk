# report_rom's test, started by core as init (../README.md).
NAME := report_rom_test
KIND := component
LIBS := testbed report_session
