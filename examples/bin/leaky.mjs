// Example program with a memory leak: keeps 5 MB more every second, forever.
const leaked = [];
setInterval(() => {
  leaked.push(Buffer.alloc(5 * 1024 * 1024, 1));
  console.log(`holding ${leaked.length * 5} MB`);
}, 1000);
