# The Entropy session's interface and client (entropy_session.h).
NAME := entropy_session
KIND := library
