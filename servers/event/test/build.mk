# The event server's test (run/event_test).
NAME := event_test
KIND := component
LIBS := testbed event_session
