# init: starts, routes and reconfigures its children (README.md).
NAME := init
KIND := component
LIBS := child timer_session report_session
