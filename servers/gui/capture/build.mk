# The Capture session's interface and client (capture_session.h).
NAME := capture_session
KIND := library
