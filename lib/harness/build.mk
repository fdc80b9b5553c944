# The one test harness (include/harness.h): cases, tables, CHECK assertions
# and the `N passed, N failed` runner, for the kernel's, core's and the
# services' suites (LIBS := harness). host.c is the host tests' side
# (tools/hosttest.py builds it with harness.c into every host test).
NAME := harness
KIND := library
SRCS := $(DIR)/harness.c
