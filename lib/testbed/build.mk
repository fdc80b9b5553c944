# The testbed: a small parent and test runner for the tests of os/ services
# (os/dummy/README.md). Test components that use it name it: LIBS := testbed.
NAME := testbed
KIND := library
LIBS := child report_session rom_server harness
