# The kernel benchmarks, started by the kernel as its root task (bench/README.md).
NAME := kernel_bench
KIND := program
