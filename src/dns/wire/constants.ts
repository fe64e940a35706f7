/** DNS header layout and flag bits (RFC 1035 4.1.1, RFC 6891). */
export const HEADER_LENGTH = 12;
export const FLAG_QR = 0x8000;
export const FLAG_AA = 0x0400;
export const FLAG_TC = 0x0200;
export const FLAG_RD = 0x0100;
export const FLAG_CD = 0x0010;
export const OPCODE_MASK = 0x7800;
export const CLASS_IN = 1;
export const CLASS_ANY = 255;
export const TYPE_OPT = 41;
/** Largest UDP reply without EDNS (RFC 1035 4.2.1). */
export const CLASSIC_UDP_SIZE = 512;
/** The UDP payload size we advertise and cap replies at (DNS flag day 2020). */
export const SERVER_UDP_SIZE = 1232;
