# boot_bench: the figure boot_to_drivers (bench/README.md): guest
# instructions from kernel entry until every driver driver_manager started
# runs (run/boot_bench).
NAME := boot_bench
KIND := component
