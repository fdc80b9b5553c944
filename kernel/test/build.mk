# The in-OS kernel test suite, started by the kernel as its root task (README.md).
NAME := kernel_test
KIND := program
LIBS := harness
