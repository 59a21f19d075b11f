// Test helper: which docker-registry processes a test bed (identified by its temp folder) still runs.
import { spawnSync } from 'node:child_process'

/** PIDs of registry processes whose command line names a file under `dir` (their config). */
export const registryProcessesUnder = (dir: string): string[] =>
  spawnSync('pgrep', ['-f', `docker-registry serve ${dir}/`], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
