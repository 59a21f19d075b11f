// Real registries behind every front: one CNCF distribution process (`docker-registry serve`) per backing
// registry, each on its own loopback port with its own storage folder.
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { waitForExitSync } from './exit-cleanup.js'

const REGISTRY_BINARY = '/usr/bin/docker-registry'
/** How long stop() lets a registry end by itself before killing it: an idle one ends in milliseconds. */
const GRACEFUL_STOP_MS = 3_000
/** How long killNow() blocks waiting for a killed registry to die. */
const KILL_WAIT_MS = 1_000

// The registry runs under a tiny shell that kills it when its stdin closes. Stdin closes when we end it in
// stop(), and also when this process dies in any way (even SIGKILL), so no registry outlives the test bed.
const WRAPPER = `${REGISTRY_BINARY} serve "$1" & pid=$!
echo "$pid"
read _ignored
kill "$pid" 2>/dev/null
wait "$pid"`

export interface DistributionServer {
  /** Backing registry name, e.g. `docker.io` or `prodacr.azurecr.io`. */
  name: string
  url: string
  /** Folder of this registry's config and storage (its path is on the process command line). */
  dir: string
  /** Ends the registry and waits for it to exit (killing it if it has not ended within a few seconds). */
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

  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(
    'sh',
    ['-c', WRAPPER, 'registry', configPath],
    {
      stdio: ['pipe', 'pipe', 'pipe']
    }
  )
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)))
  let registryPid: number | undefined
  child.stdout.on('data', (chunk: Buffer) => (registryPid ??= Number.parseInt(chunk.toString(), 10)))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  let running = true
  void exited.then(() => (running = false))

  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 10_000
  while (!(await answersV2(url))) {
    if (!running || Date.now() > deadline) {
      child.stdin.destroy()
      throw new Error(`docker-registry for ${name} did not start: ${stderr.trim() || 'no answer on ' + url}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 15))
  }

  const killNow = () => {
    if (registryPid && running) {
      try {
        process.kill(registryPid, 'SIGKILL')
        // The folder is removed right after this: wait until the registry can no longer write into it.
        waitForExitSync(registryPid, KILL_WAIT_MS)
      } catch {
        // Already gone.
      }
    }
    child.stdin.destroy()
  }
  return {
    name,
    url,
    dir,
    stop: async () => {
      child.stdin.end()
      let timer: NodeJS.Timeout | undefined
      const timedOut = new Promise<boolean>(
        (resolve) => (timer = setTimeout(() => resolve(true), GRACEFUL_STOP_MS))
      )
      if (await Promise.race([exited.then(() => false), timedOut])) {
        killNow()
        await exited
      }
      clearTimeout(timer)
    },
    killNow
  }
}
