# Kills and restarts the ahci driver through a nested init's config (run/ahci_restart).
NAME := ahci_restarter
KIND := component
LIBS := report_session timer_session
