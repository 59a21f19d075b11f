// `npm run testbed`: starts the local Azure test bed, prints what a client needs to use it as shell
// `export` lines (source them, or copy what you need), and runs until Ctrl-C / SIGTERM / SIGHUP, or until the
// processes that launched it are gone (npm stopped by its PID, see cli-launchers.ts), then stops cleanly.
// Client secrets are not printed: they are test-only values in world.ts.
import { isRunning, launchers } from './cli-launchers.js'
import { CONTROL_HOST } from './control/control-api.js'
import { startTestbed } from './index.js'
import {
  APPS,
  loginServerOf,
  MANAGED_IDENTITY,
  REGISTRIES,
  resourceIdOf,
  SUPPLY_CHAIN,
  TENANT_A,
  TENANT_B
} from './world.js'

const SAMPLE_GITHUB_SUBJECT = APPS.github.federated[0].subject
const SAMPLE_ADO_SUBJECT = APPS.ado.federated[0].subject
/** Any ID names the job's service connection; the test bed federates it with the subject given. */
const SAMPLE_SERVICE_CONNECTION_ID = 'd2a3f9c4-5b6e-4c7d-8e9f-0a1b2c3d4e5f'

const quote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`
const exports = (variables: Record<string, string>): string[] =>
  Object.entries(variables).map(([name, value]) => `export ${name}=${quote(value)}`)

/** How often the CLI looks whether its launchers still run. */
const LAUNCHER_CHECK_MS = 200

async function main(): Promise<void> {
  const watched = launchers()
  const started = Date.now()
  const testbed = await startTestbed()
  const ado = testbed.adoOidc(SAMPLE_SERVICE_CONNECTION_ID, SAMPLE_ADO_SUBJECT)
  const lines = [
    `# acr-import local Azure test bed, up in ${Date.now() - started} ms. Ctrl-C to stop.`,
    '# Reach every Azure / registry host name through the proxy, trusting the test bed CA:',
    ...exports(testbed.env),
    // The control API (control/control-api.ts): POST /faults/<command>, POST /attributes, GET /requests, GET /count,
    // GET /counters.
    `# faults: curl --proxy "$HTTPS_PROXY" --cacert "$NODE_EXTRA_CA_CERTS" -X POST https://${CONTROL_HOST}/faults/stall-imports -d '{"on":true}'`,
    `# GitHub Actions OIDC for sub=${SAMPLE_GITHUB_SUBJECT}:`,
    ...exports(testbed.githubOidc(SAMPLE_GITHUB_SUBJECT)),
    `# Azure DevOps workload identity federation for ${SAMPLE_ADO_SUBJECT} (service connection ${SAMPLE_SERVICE_CONNECTION_ID}):`,
    ...exports({ ...ado.variables, SYSTEM_ACCESSTOKEN: ado.systemAccessToken }),
    `# Managed identity (client ID ${MANAGED_IDENTITY.clientId}):`,
    ...exports(testbed.managedIdentityEnv),
    `# Tenants: A=${TENANT_A} B=${TENANT_B}. Apps (secrets are in __tests__/testbed/world.ts):`,
    ...Object.entries(APPS).map(([key, app]) => `#   ${key}: appId=${app.appId} tenant=${app.tenantId}`),
    '# Registries:',
    ...Object.values(REGISTRIES).map(
      (registry) =>
        `#   ${loginServerOf(registry)} publicNetworkAccess=${registry.publicNetworkAccess} ${resourceIdOf(registry)}`
    ),
    '# Signed images (world.SUPPLY_CHAIN; an ACR answers GET /v2/<repo>/referrers/<digest>):',
    ...Object.entries(SUPPLY_CHAIN).map(
      ([key, graph]) =>
        `#   ${key}: ${graph.host}/${graph.repo}:${graph.tag}@${graph.digest} (${Object.keys(graph.manifests).join(', ')})`
    ),
    `# lock a tag: curl --proxy "$HTTPS_PROXY" --cacert "$NODE_EXTRA_CA_CERTS" -X POST https://${CONTROL_HOST}/attributes -d '{"registry":"prodacr.azurecr.io","repository":"app","reference":"existing","writeEnabled":false}'`
  ]
  // Whoever reads our output may be gone with the launcher: a failed write must not end the process early.
  process.stdout.on('error', () => undefined)
  let stopping = false
  const stop = async (reason: string) => {
    if (stopping) return
    stopping = true
    await testbed.stop()
    process.stdout.write(`# test bed stopped (${reason})\n`)
    process.exit(0)
  }
  // Handlers first, the environment after: whoever reads it may signal at once, and a signal that comes before
  // its handler ends the process without a clean stop (seen once in a CI run on a loaded machine).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop)
  process.stdout.write(lines.join('\n') + '\n')
  setInterval(() => {
    const gone = watched.find((launcher) => !isRunning(launcher))
    if (gone) void stop(`launcher ${gone.pid} exited`)
  }, LAUNCHER_CHECK_MS)
}

main().catch((error: unknown) => {
  process.stderr.write(`test bed failed to start: ${(error as Error)?.message ?? error}\n`)
  process.exit(1)
})
