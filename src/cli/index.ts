#!/usr/bin/env node
// Entry point of the command line (dist/cli/index.js, the npm bin `acr-import`). main() reports its own failures.
import { main } from './main.js'

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
