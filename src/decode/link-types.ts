/** LINKTYPE_* values (tcpdump.org/linktypes.html) that the decoder understands. */
export const LINKTYPE_NULL = 0; // BSD loopback, address family in host byte order
export const LINKTYPE_ETHERNET = 1;
export const DLT_RAW_12 = 12; // DLT_RAW on most BSDs; DLT_LOOP in OpenBSD's own savefiles
export const DLT_RAW_14 = 14; // DLT_RAW on OpenBSD
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108; // OpenBSD loopback, address family in network byte order
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
export const ETHERTYPE_QINQ_OLD = 0x9100;
export const ETHERTYPE_PPPOE_SESSION = 0x8864;
export const ETHERTYPE_MPLS = 0x8847;
export const ETHERTYPE_MPLS_MULTICAST = 0x8848;
export const PPP_IPV4 = 0x0021;
export const PPP_IPV6 = 0x0057;
