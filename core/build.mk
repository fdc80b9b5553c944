# core, the root task: the base services; starts init (README.md).
NAME := core
KIND := program
