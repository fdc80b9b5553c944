/*
 * The virtio-net header of a received frame (vnet_hdr.h). Trusts the
 * device (the driver does) for what the flags claim, for nothing that
 * could make it write or read outside the frame: csum_start and the
 * checksum field are checked against the frame's length first.
 */
#include "vnet_hdr.h"

static unsigned le16(const uint8_t *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

int vnet_rx_flags(const uint8_t *hdr, uint8_t *frame, size_t len, bool guest_csum)
{
	uint8_t flags = hdr[VNET_HDR_FLAGS];

	if (!guest_csum)
		return 0;
	if (hdr[VNET_HDR_GSO_TYPE])
		return -1;
	if (flags & VNET_HDR_F_NEEDS_CSUM) {
		size_t start = le16(hdr + VNET_HDR_CSUM_START);
		size_t at = start + le16(hdr + VNET_HDR_CSUM_OFFSET);
		uint32_t sum = 0;
		uint16_t c;

		if (start >= len || at + 2 > len)
			return -1;
		for (size_t i = start; i < len; i += 2)
			sum += (uint32_t)frame[i] << 8 | (i + 1 < len ? frame[i + 1] : 0u);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		c = (uint16_t)~sum;
		if (!c)
			c = 0xffff;
		frame[at] = (uint8_t)(c >> 8);
		frame[at + 1] = (uint8_t)c;
		return 1;
	}
	return flags & VNET_HDR_F_DATA_VALID ? 1 : 0;
}
