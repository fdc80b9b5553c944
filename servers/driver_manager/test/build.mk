# driver_manager_test: checks driver_manager's report for a device set and kills a driver again and again (run/driver_manager_test).
NAME := driver_manager_test
KIND := component
LIBS := report_session timer_session
