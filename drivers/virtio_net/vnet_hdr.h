/*
 * The virtio-net header of a received frame (OASIS virtio v1.1 5.1.6):
 * what it says of the frame's checksum, for the router (nic_session.h,
 * NIC_ARG_CSUM_VALID). Portable, host-tested (tests/host/virtio_net_hdr.c).
 */
#ifndef VIRTIO_NET_VNET_HDR_H
#define VIRTIO_NET_VNET_HDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VNET_HDR_LEN 12u         /* struct virtio_net_hdr with num_buffers (VERSION_1) */
#define VNET_HDR_FLAGS 0
#define VNET_HDR_GSO_TYPE 1
#define VNET_HDR_CSUM_START 6
#define VNET_HDR_CSUM_OFFSET 8
#define VNET_HDR_F_NEEDS_CSUM 1u
#define VNET_HDR_F_DATA_VALID 2u

/* What the header hdr says of a received frame of len bytes, with
 * VIRTIO_NET_F_GUEST_CSUM negotiated (guest_csum) or not:
 *   not negotiated      0 (the device writes no flags then)
 *   DATA_VALID          1: the device verified the TCP/UDP checksum (for
 *                       the router: NIC_ARG_CSUM_VALID)
 *   NEEDS_CSUM          the checksum completed in frame (the sum from
 *                       csum_start to the end, stored at csum_start +
 *                       csum_offset; a computed 0 stored as 0xffff, which
 *                       UDP needs and TCP takes as the same value), then 1
 *   otherwise           0
 *   -1                  drop the frame: a gso_type (no GSO is negotiated),
 *                       or a checksum range outside the frame */
int vnet_rx_flags(const uint8_t *hdr, uint8_t *frame, size_t len, bool guest_csum);

#endif
