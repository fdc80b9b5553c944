# run/input_test's config switcher (servers/event_filter/test/main.c).
NAME := event_filter_switch
KIND := component
LIBS := report_session
