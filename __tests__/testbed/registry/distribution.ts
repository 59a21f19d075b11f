// Real registries behind every front: one CNCF distribution process (`docker-registry serve`) per backing
// registry, each on its own loopback port with its own storage folder.
//
// Each registry is a direct child of this process, so that its 'exit' event is the registry's own exit: stop()
// waits for it. (It once ran under a shell wrapper; a Ctrl-C, which signals the whole process group, ended the
// wrappers while their registries, started in the background and so deaf to SIGINT, ran on forever.) When this
// process is killed outright, the janitor (exit-cleanup.ts) ends the registries instead.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { stopChild } from '../stop-child.js'
import { waitForExitSync } from './exit-cleanup.js'

const REGISTRY_BINARY = '/usr/bin/docker-registry'
/** How long killNow() blocks waiting for a killed registry to die. */
const KILL_WAIT_MS = 1_000

/**
 * A `pgrep -f` pattern for the registry processes of the test bed in `dir`: the binary, then a config under
 * `dir`. Anchored, so that it matches neither a shell nor a pgrep whose command line merely quotes it.
 */
export const registryProcessPattern = (dir: string): string => `^${REGISTRY_BINARY} serve ${dir}/`

export interface DistributionServer {
  /** Backing registry name, e.g. `docker.io` or `prodacr.azurecr.io`. */
  name: string
  url: string
  /** Folder of this registry's config and storage (its path is on the process command line). */
  dir: string
  /** Ends the registry and waits for it to exit (killing it if it ignored SIGTERM for a few seconds). */
  stop(): Promise<void>
  /** Kills the registry and waits for it to die, synchronously and briefly (for process exit handlers). */
  killNow(): void
}

/** Installs Debian's docker-registry when missing and we may (root), or explains how. */
export function ensureRegistryBinary(): void {
  if (existsSync(REGISTRY_BINARY)) return
  if (process.getuid?.() !== 0) {
    throw new Error(`${REGISTRY_BINARY} is missing: run \`sudo apt-get install docker-registry\``)
  }
  let install = spawnSync('apt-get', ['install', '-y', 'docker-registry'], { stdio: 'ignore' })
  if (install.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'ignore' })
    install = spawnSync('apt-get', ['install', '-y', 'docker-registry'], { stdio: 'ignore' })
  }
  if (install.status !== 0 || !existsSync(REGISTRY_BINARY)) {
    throw new Error('Could not install docker-registry: run `sudo apt-get install docker-registry`')
  }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

function configYaml(port: number, storageDir: string): string {
  // relativeurls: upload Location headers are paths, so they stay valid when a front proxies the registry.
  return `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${JSON.stringify(storageDir)}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
  relativeurls: true
`
}

function answersV2(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${url}/v2/`, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('error', () => resolve(false))
    req.end()
  })
}

/** Starts a registry; a free port can be taken by someone else before the registry binds it, so retry. */
export async function startDistribution(name: string, parentDir: string): Promise<DistributionServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(name, join(parentDir, name))
    } catch (error) {
      if (attempt === 3) throw error
    }
  }
}

async function startOnce(name: string, dir: string): Promise<DistributionServer> {
  await mkdir(join(dir, 'storage'), { recursive: true })
  const port = await freePort()
  const configPath = join(dir, 'config.yml')
  await writeFile(configPath, configYaml(port, join(dir, 'storage')))

  const child = spawn(REGISTRY_BINARY, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)))
  child.on('error', (error) => {
    stderr += error.message
    running = false
  })
  let running = true
  child.on('exit', () => (running = false))

  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 10_000
  while (!(await answersV2(url))) {
    if (!running || Date.now() > deadline) {
      await stopChild(child)
      throw new Error(`docker-registry for ${name} did not start: ${stderr.trim() || 'no answer on ' + url}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 15))
  }

  return {
    name,
    url,
    dir,
    stop: () => stopChild(child),
    killNow: () => {
      if (!running || !child.kill('SIGKILL')) return
      // The folder is removed right after this: wait until the registry can no longer write into it.
      waitForExitSync(child.pid!, KILL_WAIT_MS)
    }
  }
}
