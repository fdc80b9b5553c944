# A test driver for run/platform_test: acquires the edu device through its
# Platform session, sets up DMA and its interrupt, then exits or crashes.
NAME := platform_test_driver
KIND := component
LIBS := platform_session
