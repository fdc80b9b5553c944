# The timer's test, started by core as init (../README.md).
NAME := timer_test
KIND := component
LIBS := testbed timer_session
