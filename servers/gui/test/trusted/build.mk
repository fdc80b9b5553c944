# run/trusted_path_test: a hostile client against the GUI's trusted path
# (servers/gui/test/trusted/main.c, trusted_check.py).
NAME := trusted_path_test
KIND := component
LIBS := testbed gui_session
