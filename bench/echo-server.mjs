// The plain-dgram ceiling: answers every datagram with a copy of itself (QR set), no DNS work.
// Same per-message cost as the real server's send path: one allocation, one copy, one send.
import dgram from 'node:dgram';

const port = Number(process.argv[2]);
const socket = dgram.createSocket('udp4');
socket.on('message', (msg, rinfo) => {
  const out = Buffer.allocUnsafe(msg.length);
  msg.copy(out);
  out[2] |= 0x80;
  socket.send(out, rinfo.port, rinfo.address);
});
socket.bind(port, '127.0.0.1', () => process.stdout.write(`echo on 127.0.0.1:${port}\n`));
process.on('SIGTERM', () => socket.close(() => process.exit(0)));
