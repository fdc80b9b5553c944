# Benchmarks of the whole base system, started by core as init (bench/README.md).
NAME := system_bench
KIND := component
LIBS := timer_session
