// Example service: answers every request, /health included.
import http from 'node:http';

const port = Number(process.argv[2] ?? 18080);
const server = http.createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end(`${process.env.DEMO_GREETING ?? 'hello'} (${process.env.DEMO_ROLE ?? 'web'}, pid ${process.pid}) ${request.url}\n`);
});
server.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}/`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
