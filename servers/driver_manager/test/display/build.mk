# display_restart_test: GUI clients while driver_manager restarts the display and input drivers (run/display_restart).
NAME := display_restart_test
KIND := component
LIBS := gui_session report_session timer_session
