# The Timer session's interface and client library (include/timer_session.h):
# what a client of os/timer names, LIBS := timer_session (docs/build.md).
NAME := timer_session
KIND := library
