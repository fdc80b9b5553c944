# run/isolation's attacker (../README.md).
NAME := isolation_attacker
KIND := component
