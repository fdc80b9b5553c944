# Drives a nested init through configs and checks its reports (os/init/README.md).
NAME := test_init
KIND := component
LIBS := timer_session report_session
