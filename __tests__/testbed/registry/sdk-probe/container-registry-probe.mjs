// Reads ACR data-plane facts with the real @azure/container-registry client, signed in with a client secret
// through @azure/identity. It runs as its own process, started with the test bed's environment: MSAL trusts
// the test bed's CA only through NODE_EXTRA_CA_CERTS, which Node reads at start-up, and the SDK pipelines
// take HTTPS_PROXY from the environment.
// Input: one JSON argument {tenantId, clientId, secret, endpoint, reads: [{repository, tag} or
// {repository, listManifests: {pageSize}} or {repository, tag, updateTag: {canWrite, canDelete, ...}} or
// {repository, digest, updateManifest: {canWrite, ...}}]}; the updates answer the attributes the SDK parsed.
// Output: one JSON line, an array with {ok, value} or {ok: false, error} per read.
import { ContainerRegistryClient } from '@azure/container-registry'
import { ClientSecretCredential } from '@azure/identity'

const request = JSON.parse(process.argv[2])
const credential = new ClientSecretCredential(request.tenantId, request.clientId, request.secret, {
  authorityHost: 'https://login.microsoftonline.com'
})
// The SDK's default audience: https://containerregistry.azure.net
const client = new ContainerRegistryClient(request.endpoint, credential)

/** Every manifest of a repository, page by page (`listManifestProperties().byPage`), as the SDK parsed them. */
async function listManifests(repository, { pageSize }) {
  const pages = []
  const pager = client.getRepository(repository).listManifestProperties().byPage({ maxPageSize: pageSize })
  for await (const page of pager) {
    pages.push(
      page.map((m) => ({
        digest: m.digest,
        tags: m.tags ?? [],
        platform: m.architecture ? `${m.operatingSystem}/${m.architecture}` : null,
        sizeInBytes: m.sizeInBytes ?? null,
        createdOn: m.createdOn instanceof Date
      }))
    )
  }
  return { pages }
}

const attributesOf = (p) => ({
  canWrite: p.canWrite,
  canDelete: p.canDelete,
  canRead: p.canRead,
  canList: p.canList,
  digest: p.digest
})

async function read({ repository, tag, digest, listManifests: list, updateTag, updateManifest }) {
  if (list) return listManifests(repository, list)
  if (updateTag)
    return attributesOf(await client.getArtifact(repository, tag).updateTagProperties(tag, updateTag))
  if (updateManifest)
    return attributesOf(await client.getArtifact(repository, digest).updateManifestProperties(updateManifest))
  const artifact = client.getArtifact(repository, tag)
  const tagProperties = await artifact.getTagProperties(tag)
  const manifest = await artifact.getManifestProperties()
  return {
    digest: tagProperties.digest,
    tagName: tagProperties.name,
    manifestDigest: manifest.digest,
    architecture: manifest.architecture ?? null,
    os: manifest.operatingSystem ?? null,
    platforms: (manifest.relatedArtifacts ?? []).map((a) => `${a.operatingSystem}/${a.architecture}`)
  }
}

const results = []
for (const entry of request.reads) {
  try {
    results.push({ ok: true, value: await read(entry) })
  } catch (error) {
    results.push({
      ok: false,
      error: { name: error.name, message: error.message, statusCode: error.statusCode }
    })
  }
}
process.stdout.write(JSON.stringify(results) + '\n')
