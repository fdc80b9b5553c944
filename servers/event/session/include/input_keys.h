/*
 * Key codes of Argil's input events, defined once: the code of a key is
 * its usage ID on the USB HID keyboard page (HID Usage Tables 1.12,
 * chapter 10), so that PS/2, USB and virtio input drivers agree; mouse
 * buttons follow from 0x110. KEY_NAMES(K) lists every code with its name,
 * for tables (the ps2 scan code map, the event server's report) and for
 * logs.
 */
#ifndef INPUT_KEYS_H
#define INPUT_KEYS_H

#define KEY_NAMES(K)                                                                   \
	K(A, 0x04) K(B, 0x05) K(C, 0x06) K(D, 0x07) K(E, 0x08) K(F, 0x09) K(G, 0x0a)  \
	K(H, 0x0b) K(I, 0x0c) K(J, 0x0d) K(K, 0x0e) K(L, 0x0f) K(M, 0x10) K(N, 0x11)  \
	K(O, 0x12) K(P, 0x13) K(Q, 0x14) K(R, 0x15) K(S, 0x16) K(T, 0x17) K(U, 0x18)  \
	K(V, 0x19) K(W, 0x1a) K(X, 0x1b) K(Y, 0x1c) K(Z, 0x1d)                        \
	K(1, 0x1e) K(2, 0x1f) K(3, 0x20) K(4, 0x21) K(5, 0x22) K(6, 0x23) K(7, 0x24)  \
	K(8, 0x25) K(9, 0x26) K(0, 0x27)                                              \
	K(ENTER, 0x28) K(ESC, 0x29) K(BACKSPACE, 0x2a) K(TAB, 0x2b) K(SPACE, 0x2c)    \
	K(MINUS, 0x2d) K(EQUAL, 0x2e) K(LEFTBRACE, 0x2f) K(RIGHTBRACE, 0x30)          \
	K(BACKSLASH, 0x31) K(SEMICOLON, 0x33) K(APOSTROPHE, 0x34) K(GRAVE, 0x35)      \
	K(COMMA, 0x36) K(DOT, 0x37) K(SLASH, 0x38) K(CAPSLOCK, 0x39)                  \
	K(F1, 0x3a) K(F2, 0x3b) K(F3, 0x3c) K(F4, 0x3d) K(F5, 0x3e) K(F6, 0x3f)       \
	K(F7, 0x40) K(F8, 0x41) K(F9, 0x42) K(F10, 0x43) K(F11, 0x44) K(F12, 0x45)    \
	K(PRINT, 0x46) K(SCROLLLOCK, 0x47) K(PAUSE, 0x48) K(INSERT, 0x49)             \
	K(HOME, 0x4a) K(PAGEUP, 0x4b) K(DELETE, 0x4c) K(END, 0x4d) K(PAGEDOWN, 0x4e)  \
	K(RIGHT, 0x4f) K(LEFT, 0x50) K(DOWN, 0x51) K(UP, 0x52) K(NUMLOCK, 0x53)       \
	K(KP_SLASH, 0x54) K(KP_ASTERISK, 0x55) K(KP_MINUS, 0x56) K(KP_PLUS, 0x57)     \
	K(KP_ENTER, 0x58) K(KP_1, 0x59) K(KP_2, 0x5a) K(KP_3, 0x5b) K(KP_4, 0x5c)     \
	K(KP_5, 0x5d) K(KP_6, 0x5e) K(KP_7, 0x5f) K(KP_8, 0x60) K(KP_9, 0x61)         \
	K(KP_0, 0x62) K(KP_DOT, 0x63) K(102ND, 0x64) K(MENU, 0x65)                    \
	K(LEFTCTRL, 0xe0) K(LEFTSHIFT, 0xe1) K(LEFTALT, 0xe2) K(LEFTMETA, 0xe3)       \
	K(RIGHTCTRL, 0xe4) K(RIGHTSHIFT, 0xe5) K(RIGHTALT, 0xe6) K(RIGHTMETA, 0xe7)   \
	K(BTN_LEFT, 0x110) K(BTN_RIGHT, 0x111) K(BTN_MIDDLE, 0x112)                   \
	K(BTN_SIDE, 0x113) K(BTN_EXTRA, 0x114)

#define KEY_ENUM(name, code) KEY_##name = code,
enum key_code {
	KEY_NONE = 0,
	KEY_NAMES(KEY_ENUM)
	KEY_MAX = 0x1ff,
};
#undef KEY_ENUM

/* "A", "ENTER", "BTN_LEFT"; NULL for a code without a name. */
const char *key_name(unsigned code);

#endif
