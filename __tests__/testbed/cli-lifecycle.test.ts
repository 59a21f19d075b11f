// `npm run testbed` stopped by SIGTERM (as a process manager or `kill` does) exits cleanly and leaves no
// registry process and no temp folder behind. Run three times at once: the leftover folder used to show up in
// a minority of stops, when the folder was removed while killed registries were still exiting.
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { registryProcessesUnder } from './registry/processes.js'

const TSX = join(process.cwd(), 'node_modules/.bin/tsx')
const CLI = join(process.cwd(), '__tests__/testbed/cli.ts')

interface CliRun {
  workDir: string
  registriesWhileUp: number
  exitCode: number | null
  output: string
}

/** Starts the CLI, waits until it has printed its environment (it is up), sends SIGTERM, waits for the exit. */
function startAndTerminate(): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CLI], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    let workDir: string | undefined
    let registriesWhileUp = 0
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      // The CA file lives in the temp folder; the CLI prints everything in one write once the bed is up.
      const caCert = /^export NODE_EXTRA_CA_CERTS='([^']+)'$/m.exec(output)
      if (!workDir && caCert && output.includes('# Registries:')) {
        workDir = dirname(caCert[1])
        registriesWhileUp = registryProcessesUnder(workDir).length
        child.kill('SIGTERM')
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (exitCode) => {
      if (!workDir) reject(new Error(`The test bed CLI ended before it was up:\n${output}`))
      else resolve({ workDir, registriesWhileUp, exitCode, output })
    })
  })
}

describe('npm run testbed', () => {
  it('stops on SIGTERM without leaving registries or its temp folder, every time', async () => {
    const runs = await Promise.all([startAndTerminate(), startAndTerminate(), startAndTerminate()])
    for (const run of runs) {
      expect(run.registriesWhileUp).toBeGreaterThan(0)
      expect(run.output).toContain('# test bed stopped (SIGTERM)')
      expect(run.exitCode).toBe(0)
      expect(registryProcessesUnder(run.workDir)).toEqual([])
      expect(existsSync(run.workDir)).toBe(false)
    }
  }, 60_000)
})
