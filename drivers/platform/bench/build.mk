# platform_bench: the platform driver's figures (run/platform_bench):
# dma_alloc_free and irq_to_driver, on the harness of platform_test.
NAME := platform_bench
KIND := component
SRCS := $(DIR)/main.c $(DIR)/../test/harness.c
CFLAGS := -I$(DIR)/../test
LIBS := testbed platform_session timer_session
