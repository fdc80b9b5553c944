# init: starts, routes and reconfigures its children (README.md).
NAME := init
KIND := component
LIBS := timer_session report_session
