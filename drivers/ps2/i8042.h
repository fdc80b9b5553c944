/*
 * The i8042 controller's registers and the bytes of its protocol, each
 * defined once (driver_reg.h). The data port is the first port range of
 * the "ps2" device (0x60), status and command the second (0x64).
 */
#ifndef PS2_I8042_H
#define PS2_I8042_H

#include <driver_reg.h>

REG(I8042_DATA, 0, 8);                   /* port range 0 */
REG(I8042_STATUS, 0, 8);                 /* port range 1, read */
FIELD(I8042_STATUS, OUT_FULL, 0, 1);     /* a byte for us in DATA */
FIELD(I8042_STATUS, IN_FULL, 1, 1);      /* the controller has not taken our byte */
FIELD(I8042_STATUS, AUX, 5, 1);          /* the byte in DATA is the mouse's */
REG(I8042_COMMAND, 0, 8);                /* port range 1, write */

/* the configuration byte (commands 0x20 / 0x60), a register in RAM */
REG(I8042_CFG, 0, 8);
FIELD(I8042_CFG, KBD_IRQ, 0, 1);
FIELD(I8042_CFG, AUX_IRQ, 1, 1);
FIELD(I8042_CFG, KBD_CLOCK_OFF, 4, 1);
FIELD(I8042_CFG, AUX_CLOCK_OFF, 5, 1);
FIELD(I8042_CFG, TRANSLATE, 6, 1);

/* the keyboard's LED byte (command 0xed) */
REG(KBD_LEDS, 0, 8);
FIELD(KBD_LEDS, SCROLL, 0, 1);
FIELD(KBD_LEDS, NUM, 1, 1);
FIELD(KBD_LEDS, CAPS, 2, 1);

enum i8042_command {
	I8042_READ_CFG = 0x20,
	I8042_WRITE_CFG = 0x60,
	I8042_AUX_DISABLE = 0xa7,
	I8042_AUX_ENABLE = 0xa8,
	I8042_AUX_TEST = 0xa9,           /* -> 0x00 */
	I8042_SELF_TEST = 0xaa,          /* -> 0x55 */
	I8042_KBD_TEST = 0xab,           /* -> 0x00 */
	I8042_KBD_DISABLE = 0xad,
	I8042_KBD_ENABLE = 0xae,
	I8042_WRITE_AUX = 0xd4,          /* the next data byte goes to the mouse */
};
#define I8042_SELF_TEST_OK 0x55

enum ps2_device_command {
	PS2_CMD_LEDS = 0xed,             /* keyboard: + LED byte */
	PS2_CMD_SCAN_SET = 0xf0,         /* keyboard: + set */
	PS2_CMD_GET_ID = 0xf2,           /* mouse: -> id */
	PS2_CMD_SAMPLE_RATE = 0xf3,      /* mouse: + samples/s */
	PS2_CMD_ENABLE = 0xf4,
	PS2_CMD_DISABLE = 0xf5,
	PS2_CMD_RESET = 0xff,            /* -> ACK, 0xaa (mouse: + id 0) */
};
#define PS2_MOUSE_ID_WHEEL 3

#endif
