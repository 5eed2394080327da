// A minimal h2c server for bench/lib/h2-clients.mjs: node bench/lib/h2-server.mjs PORT (pin it: taskset -c 0).
import http2 from 'node:http2';
const server = http2.createServer();
server.on('stream', (s) => { s.respond({ ':status': 200, 'content-length': '2' }); s.end('ok'); });
server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('ready'));
