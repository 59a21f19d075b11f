// Entry point of the Azure DevOps task (task.json executes dist/task/index.js, its ncc bundle).
import { run } from './main.js'

void run()
