// Node's socket.io: rooms and io.to(room).emit(), as its documentation shows. Same semantics as the
// Python peers (see bench/peers/__init__.py). Loopback only; the port is the first argument.
"use strict";
const http = require("node:http");
const { Server } = require("socket.io");

const port = Number(process.argv[2]);
const httpServer = http.createServer();
const io = new Server(httpServer, { transports: ["websocket"], perMessageDeflate: false, serveClient: false });
httpServer.listen(port, "127.0.0.1");
const seqs = new Map();

function now() {
  return (performance.timeOrigin + performance.now()) / 1000; // seconds, to the microsecond
}

io.on("connection", (socket) => {
  const room = socket.handshake.auth.room; // the token beside it is accepted as it is
  if (room) socket.join(room);
  socket.on("publish", (message) => {
    for (const event of message.events) {
      const seq = (seqs.get(message.room) || 0) + 1;
      seqs.set(message.room, seq);
      io.to(message.room).emit("event", { type: "event", seq, name: event.name, at: now(), data: event.data });
    }
  });
});
