# The Block and Block_driver interfaces (block_session.h) and their
# session library (block_connection.h): the client side of Block, the
# driver side of Block_driver.
NAME := block_session
KIND := library
# block_blk_dev.h: struct blk_dev of lib/fs over a Block session
LIBS := fs
