# The dummy's test, started by core as init (../README.md).
NAME := dummy_test
KIND := component
LIBS := testbed timer_session
