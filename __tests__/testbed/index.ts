// startTestbed(): the whole local Azure in one call. The registry half (TLS, proxy, real registries behind
// Docker Hub / MCR / private / ACR fronts, faults, request log, the control API) is built here; the Azure half
// (Entra ID, OIDC issuers, managed identity, ARM, RBAC) comes from ./azure and is mounted on the same HTTPS
// server.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAzureHalf } from './azure/index.js'
import { CONTROL_HOST, controlApi } from './control/control-api.js'
import { FaultState } from './faults.js'
import { HostRouter } from './net/host-router.js'
import { SERVED_HOST_NAMES, SERVED_IP_ADDRESSES } from './net/hosts.js'
import { closeServer, portOf, startHttpsServer } from './net/https-server.js'
import { startProxy } from './net/proxy.js'
import { issueServerCertificate, newRsaKeys, testbedCertificateAuthority } from './net/tls.js'
import { copyImage } from './registry/copy.js'
import { countRequests, RequestCounterSet } from './request-count.js'
import {
  ensureRegistryBinary,
  registryProcessPattern,
  startDistribution,
  type DistributionServer
} from './registry/distribution.js'
import { cleanUpOnExit, removeDirNow, startJanitor } from './registry/exit-cleanup.js'
import { seedWorld } from './registry/fixtures.js'
import { AcrAttributes } from './registry/fronts/acr/acr-attributes.js'
import { acrFront } from './registry/fronts/acr/acr-front.js'
import { DOCKER_HUB_REGISTRY_HOSTS, dockerHubRoutes } from './registry/fronts/docker-hub.js'
import { mcrRoutes } from './registry/fronts/mcr.js'
import { privateRegistryRoutes } from './registry/fronts/private-registry.js'
import { ScriptedRegistry } from './registry/fronts/scripted-registry.js'
import { plainHttpTransport, testbedTlsTransport } from './registry/http-transport.js'
import { DistributionClient } from './registry/oci-client.js'
import type {
  ChangeableAttributes,
  HostRoutes,
  LoggedRequest,
  OciClient,
  RegistryAuth,
  RegistryRuntime,
  Testbed
} from './types.js'
import { CLOUDS } from './azure/clouds.js'
import { loginServerOf, PRIVATE_REGISTRY, REGISTRIES, resourceIdOf } from './world.js'

export { ARM_SUBSCRIPTION_LIMITS } from './azure/arm/throttling.js'
export { RegistryError } from './types.js'
export type { Testbed } from './types.js'

const DOCKER_HUB = 'docker.io'
const MCR = 'mcr.microsoft.com'

/** Backing registry name of a host: Docker Hub's aliases all share the `docker.io` store. */
const backingNameOf = (host: string): string =>
  DOCKER_HUB_REGISTRY_HOSTS.includes(host.toLowerCase()) ? DOCKER_HUB : host.toLowerCase()

function mergeRoutes(...sets: HostRoutes[]): HostRoutes {
  const merged: HostRoutes = {}
  for (const routes of sets) {
    for (const [host, handler] of Object.entries(routes)) {
      if (merged[host]) throw new Error(`Two test bed handlers claim the host ${host}`)
      merged[host] = handler
    }
  }
  return merged
}

export async function startTestbed(): Promise<Testbed> {
  ensureRegistryBinary()
  const workDir = await mkdtemp(join(tmpdir(), 'acr-import-testbed-'))
  const janitor = startJanitor(workDir, registryProcessPattern(workDir))
  /** Registries being started: a stop, even one during the start, waits for each before stopping it. */
  let starting: Promise<DistributionServer>[] = []
  /** Registries up, for the synchronous exit cleanup. */
  const distributions: DistributionServer[] = []
  const stopParts: (() => Promise<void>)[] = []
  // One stop for everyone: a second caller (the CLI's signal handler next to the exit cleanup's) awaits the
  // same work instead of returning while registries are still running. It resolves only once every process
  // the test bed started has exited.
  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      exitCleanup.cancel()
      for (const stopPart of stopParts.reverse()) await stopPart()
      const started = await Promise.allSettled(starting)
      await Promise.all(
        started.map((registry) => (registry.status === 'fulfilled' ? registry.value.stop() : undefined))
      )
      await rm(workDir, { recursive: true, force: true, maxRetries: 3 })
      await janitor.dismiss()
    })())
  const exitCleanup = cleanUpOnExit({
    now: () => {
      distributions.forEach((server) => server.killNow())
      removeDirNow(workDir)
    },
    gracefully: stop
  })

  try {
    const faults = new FaultState()
    const requests: LoggedRequest[] = []
    const counters = new RequestCounterSet(
      DOCKER_HUB_REGISTRY_HOSTS,
      CLOUDS.map((cloud) => cloud.armHost)
    )
    const backingNames = [
      DOCKER_HUB,
      MCR,
      PRIVATE_REGISTRY.host,
      ...Object.values(REGISTRIES).map(loginServerOf)
    ]
    starting = backingNames.map(async (name) => {
      const server = await startDistribution(name, join(workDir, 'registries'))
      distributions.push(server)
      return server
    })
    const [ca, serverKeys] = await Promise.all([testbedCertificateAuthority(), newRsaKeys(), ...starting])
    const caCertPath = join(workDir, 'ca.pem')
    await writeFile(caCertPath, ca.certPem)

    const backendHttp = plainHttpTransport()
    const backendUrls = new Map(distributions.map((server) => [server.name, server.url]))
    const backendClients = new Map<string, OciClient>(
      distributions.map((server) => [server.name, new DistributionClient(server.url, backendHttp)])
    )
    const backend = (host: string): OciClient => {
      const client = backendClients.get(backingNameOf(host))
      if (!client) throw new Error(`The test bed has no registry behind ${host}`)
      return client
    }

    const registries = new Map<string, RegistryRuntime>(
      Object.values(REGISTRIES).map((model) => [
        model.name.toLowerCase(),
        {
          model,
          loginServer: loginServerOf(model),
          resourceId: resourceIdOf(model),
          backend: backend(loginServerOf(model)),
          attributes: new AcrAttributes()
        }
      ])
    )

    let tlsPort = 0
    const frontTransport = testbedTlsTransport(() => tlsPort, ca.certPem)
    const frontClient = (host: string, auth: RegistryAuth): OciClient =>
      new DistributionClient(`https://${host}`, frontTransport, auth)

    const [azure] = await Promise.all([
      createAzureHalf({ registries, frontClient, copyImage, faults, workDir }),
      seedWorld(backend)
    ])

    const hostile = new ScriptedRegistry()
    const routes = mergeRoutes(
      hostile.routes(),
      dockerHubRoutes(backendUrls.get(DOCKER_HUB)!, faults),
      mcrRoutes(backendUrls.get(MCR)!, faults),
      privateRegistryRoutes(backendUrls.get(PRIVATE_REGISTRY.host)!, faults),
      ...[...registries.values()].map((registry) => ({
        [registry.loginServer]: acrFront(
          registry,
          backendUrls.get(registry.loginServer)!,
          azure,
          join(distributions.find((server) => server.name === registry.loginServer)!.dir, 'storage'),
          faults
        )
      })),
      azure.routes
    )
    /** Reads or changes the attributes of `repository`'s tag or (sha256:...) manifest on a fake ACR. */
    const attributesAt = (
      host: string,
      repository: string,
      reference: string,
      change?: Partial<ChangeableAttributes>
    ): ChangeableAttributes => {
      const registry = [...registries.values()].find((r) => r.loginServer === host.toLowerCase())
      if (!registry) throw new Error(`${host} is not an ACR of the test bed`)
      const { attributes } = registry
      if (reference.startsWith('sha256:')) {
        return change
          ? attributes.setManifest(repository, reference, change)
          : attributes.manifest(repository, reference)
      }
      return change ? attributes.setTag(repository, reference, change) : attributes.tag(repository, reference)
    }
    const controlRoutes: HostRoutes = {
      [CONTROL_HOST]: controlApi(faults, requests, counters, (host, repository, reference, change) =>
        attributesAt(host, repository, reference, change)
      )
    }
    const names = [
      ...new Set([
        ...SERVED_HOST_NAMES,
        ...SERVED_IP_ADDRESSES,
        ...Object.keys(routes),
        ...Object.keys(controlRoutes)
      ])
    ]
    const certificate = issueServerCertificate(
      ca,
      serverKeys,
      names.filter((name) => !isIP(name)),
      names.filter((name) => isIP(name))
    )
    const router = new HostRouter(routes, faults, requests, controlRoutes, counters)
    const https = await startHttpsServer(certificate, router)
    stopParts.push(() => closeServer(https))
    tlsPort = portOf(https)
    const proxy = await startProxy(router, tlsPort, () => counters.tunnelOpened())
    stopParts.push(() => proxy.close())

    const proxyUrl = `http://127.0.0.1:${proxy.port}`
    return {
      env: {
        HTTPS_PROXY: proxyUrl,
        https_proxy: proxyUrl,
        HTTP_PROXY: proxyUrl,
        http_proxy: proxyUrl,
        NO_PROXY: '',
        no_proxy: '',
        NODE_EXTRA_CA_CERTS: caCertPath
      },
      caCertPath,
      appCertificatePem: azure.appCertificatePem,
      githubOidc: azure.githubOidc,
      adoOidc: azure.adoOidc,
      managedIdentityEnv: azure.managedIdentityEnv,
      backend,
      faults,
      hostile,
      requests,
      count: (filter) => countRequests(requests, filter),
      counters: () => counters.snapshot(),
      imports: azure.imports,
      setChangeableAttributes: (host, repository, reference, change) =>
        attributesAt(host, repository, reference, change),
      changeableAttributes: (host, repository, reference) => attributesAt(host, repository, reference),
      stop
    }
  } catch (error) {
    await stop()
    throw error
  }
}
