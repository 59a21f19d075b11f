#!/usr/bin/env node
// Entry point of the command line (dist/cli/index.js, the npm bin `acr-import`). main() reports its own failures.
import { main } from './main.js'

// `acr-import --help | head` closes the pipe early: the reader has what it wanted, which is no crash.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw err
})

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
