#!/usr/bin/env node
import { main } from './cli/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`kube-dns-sim: ${String(err)}\n`);
    process.exitCode = 3;
  },
);
