# The Report session's interface and client library
# (include/report_session.h): what a client of os/report_rom names,
# LIBS := report_session (docs/build.md).
NAME := report_session
KIND := library
