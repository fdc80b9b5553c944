# The Event session's interface, the key codes and the client (event_session.h).
NAME := event_session
KIND := library
