# run/ps2_restart: ps2 killed and started again while keys are typed.
NAME := ps2_restart_test
KIND := component
LIBS := testbed timer_session
