# A component that does what its config says, for tests (README.md).
NAME := dummy
KIND := component
LIBS := timer_session
