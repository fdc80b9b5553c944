# run/isolation's neighbour (../README.md).
NAME := isolation_neighbour
KIND := component
