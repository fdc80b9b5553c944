# The GUI's figures (bench/README.md): gui_refresh_full, gui_refresh_small,
# input_latency; a Gui client below the GUI's and the drivers' priority.
NAME := gui_bench
KIND := component
LIBS := gui_session
