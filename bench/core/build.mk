# core's benchmarks, started by core as init (bench/README.md).
NAME := core_bench
KIND := component
LIBS := child
