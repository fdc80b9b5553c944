# The Block and Block_driver interfaces (block_session.h) and their
# session library (block_connection.h): the client side of Block, the
# driver side of Block_driver.
NAME := block_session
KIND := library
