# platform_test: the platform driver's test, started by core as init
# (run/platform_test); it starts platform and test drivers as children.
NAME := platform_test
KIND := component
LIBS := testbed platform_session timer_session
