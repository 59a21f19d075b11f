// Entry point of the GitHub Action bundle (dist/action/index.js). run() reports its own failures.
import { run } from './main.js'

void run()
