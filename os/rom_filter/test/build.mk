# rom_filter's test, started by core as init (../README.md).
NAME := rom_filter_test
KIND := component
LIBS := testbed report_session
