// Malformed engine inputs, by their action.yml names: each must end the step with exit 1, exactly one line that
// says what is wrong and how to fix it, no stack trace, and no request at all. Both hosts run the whole table
// (the task under task.json's camelCase names).
const GUID = '11111111-1111-4111-8111-111111111111'
const DIGEST = `sha256:${'a'.repeat(64)}`
const REGISTRY_ID = `/subscriptions/${GUID}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/devacr`

export interface BadInputCase {
  name: string
  /** Inputs on top of a valid step (registry prodacr, source docker.io/library/nginx:1.27). */
  inputs: Record<string, string>
  /** The one error line. */
  line: RegExp
}

export const ENGINE_CASES: BadInputCase[] = [
  // registry
  { name: 'no registry', inputs: { registry: '' }, line: /^Input 'registry' is required\. / },
  {
    name: 'a registry name too short',
    inputs: { registry: 'har' },
    line: /'har', which is not a registry name\. /
  },
  { name: 'a registry name with _', inputs: { registry: 'harness_target' }, line: /not a registry name/ },
  { name: 'a registry name too long', inputs: { registry: 'a'.repeat(51) }, line: /not a registry name/ },
  {
    name: 'a registry URL',
    inputs: { registry: 'https://prodacr.azurecr.io' },
    line: /not an Azure Container Registry login server of this cloud/
  },
  {
    name: 'a login server with a path',
    inputs: { registry: 'prodacr.azurecr.io/team' },
    line: /not an Azure Container Registry login server/
  },
  {
    name: "another cloud's login server",
    inputs: { registry: 'prodacr.azurecr.cn' },
    line: /not an Azure Container Registry login server of this cloud/
  },
  {
    name: 'a non-ACR host',
    inputs: { registry: 'docker.io' },
    line: /not an Azure Container Registry login server/
  },
  {
    name: 'a resource ID whose subscription is not a GUID',
    inputs: {
      registry:
        '/subscriptions/xyz/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/prodacr'
    },
    line: /is not a container registry resource ID\. Write it as \/subscriptions\/<subscription GUID>/
  },
  {
    name: 'a resource ID of another resource type',
    inputs: {
      registry: `/subscriptions/${GUID}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x`
    },
    line: /is not a container registry resource ID/
  },
  {
    name: 'a truncated resource ID',
    inputs: { registry: `/subscriptions/${GUID}` },
    line: /is not a container registry resource ID/
  },
  // source
  {
    name: 'no source and no images file',
    inputs: { source: '' },
    line: /^Give the images to import: input 'source' or an images file \('images-file'; 'imagesFile' in Azure Pipelines\)/
  },
  {
    name: 'upper case in a repository',
    inputs: { source: 'Nginx' },
    line: /^Malformed source reference 'Nginx': .*upper-case/
  },
  { name: 'a short digest', inputs: { source: 'nginx@sha256:1' }, line: /not a sha256 digest/ },
  {
    name: 'an upper-case digest',
    inputs: { source: `nginx@sha256:${'A'.repeat(64)}` },
    line: /must be lower case/
  },
  {
    name: 'a tag and a digest',
    inputs: { source: `busybox:1.36@${DIGEST}` },
    line: /names both a tag and a digest/
  },
  {
    name: 'a digest written as a tag',
    inputs: { source: `busybox:${DIGEST}` },
    line: /^Malformed source reference/
  },
  { name: 'white space in a reference', inputs: { source: 'nginx latest' }, line: /contains white space/ },
  { name: 'a leading slash', inputs: { source: '/nginx' }, line: /starts with "\/"/ },
  {
    name: 'a host and nothing after it',
    inputs: { source: 'docker.io/' },
    line: /nothing after the registry host/
  },
  { name: 'an empty tag', inputs: { source: 'nginx:' }, line: /tag after ":" is empty/ },
  { name: 'a tag that starts with -', inputs: { source: 'nginx:-bad' }, line: /not a valid tag/ },
  {
    name: 'a tag of 129 characters',
    inputs: { source: `nginx:${'a'.repeat(129)}` },
    line: /not a valid tag/
  },
  {
    name: 'an arrow without targets',
    inputs: { source: 'nginx =>' },
    line: /^Malformed source line 'nginx =>'/
  },
  {
    name: 'an arrow with an empty target',
    inputs: { source: 'nginx => web:1,' },
    line: /^Malformed source line/
  },
  { name: 'an arrow without a source', inputs: { source: '=> web:1' }, line: /^Malformed source line/ },
  {
    name: 'a target in a registry that is not an ACR',
    inputs: { source: 'nginx => ghcr.io/web:1' },
    line: /^Target 'ghcr\.io\/web:1' names ghcr\.io, which is not an Azure Container Registry of this cloud/
  },
  {
    name: "a target in another cloud's ACR",
    inputs: { source: 'nginx => other.azurecr.cn/web:1' },
    line: /names other\.azurecr\.cn, which is not an Azure Container Registry of this cloud/
  },
  {
    name: 'a target with a digest',
    inputs: { source: `nginx => web@${DIGEST}` },
    line: /cannot have a digest/
  },
  { name: 'an upper-case target', inputs: { source: 'nginx => Web:1' }, line: /^Malformed target 'Web:1'/ },
  {
    name: 'two sources writing one tag',
    inputs: { source: 'nginx => web:1\nredis => web:1' },
    line: /^Target 'web:1' is written by both source line 1 \(nginx\) and source line 2 \(redis\)/
  },
  // image and repository
  {
    name: 'image with several sources',
    inputs: { source: 'nginx\nredis', image: 'x:1' },
    line: /image and repository apply only when there is one source/
  },
  {
    name: 'repository with several sources',
    inputs: { source: 'nginx\nredis', repository: 'x' },
    line: /apply only when there is one source/
  },
  {
    name: 'image and => together',
    inputs: { source: 'nginx => web:1', image: 'x:1' },
    line: /both with => and with image/
  },
  {
    name: 'repository and => together',
    inputs: { source: 'nginx => web:1', repository: 'x' },
    line: /both with => and with repository/
  },
  {
    name: 'repository with a tag',
    inputs: { repository: 'mirror/nginx:1' },
    line: /^Repository 'mirror\/nginx:1' has a tag/
  },
  { name: 'image with a digest', inputs: { image: `web@${DIGEST}` }, line: /cannot have a digest/ },
  {
    name: 'image in another registry',
    inputs: { image: 'docker.io/library/web:1' },
    line: /names docker\.io, which is not an Azure Container Registry of this cloud/
  },
  { name: 'image with upper case', inputs: { image: 'Web:1' }, line: /upper-case/ },
  { name: 'an empty repository path component', inputs: { image: 'web//x:1' }, line: /empty path component/ },
  // source-registry
  {
    name: 'source-registry with a full source of another registry',
    inputs: { 'source-registry': 'devacr', source: 'docker.io/library/nginx:1.27' },
    line: /names the registry docker.io, but source-registry is devacr/
  },
  {
    name: 'a malformed source-registry resource ID',
    inputs: { 'source-registry': '/subscriptions/x', source: 'app:1' },
    line: /is not a container registry resource ID/
  },
  {
    name: 'a source-registry name too short',
    inputs: { 'source-registry': 'dev', source: 'app:1' },
    line: /Input 'source-registry' is 'dev', which is not a registry name/
  },
  {
    name: 'a source-registry URL',
    inputs: { 'source-registry': 'https://devacr.azurecr.io', source: 'app:1' },
    line: /Input 'source-registry' is .* not an Azure Container Registry login server/
  },
  {
    name: 'source-registry by ID with credentials',
    inputs: { 'source-registry': REGISTRY_ID, source: 'app:1', username: 'u', password: 'p4ssword-value' },
    line: /given by resource ID is read with your Entra identity/
  },
  // credentials
  {
    name: 'a username without a password',
    inputs: { username: 'bot' },
    line: /^Authentication failed: a username needs a password/
  },
  // booleans
  {
    name: 'force: yes',
    inputs: { force: 'yes' },
    line: /^Input 'force' must be true or false, not 'yes'\.$/
  },
  { name: 'wait: maybe', inputs: { wait: 'maybe' }, line: /^Input 'wait' must be true or false/ },
  { name: 'dry-run: 1', inputs: { 'dry-run': '1' }, line: /^Input 'dry-run' must be true or false/ },
  {
    name: 'skip-unchanged: no',
    inputs: { 'skip-unchanged': 'no' },
    line: /^Input 'skip-unchanged' must be true or false/
  },
  { name: 'fail-fast: y', inputs: { 'fail-fast': 'y' }, line: /^Input 'fail-fast' must be true or false/ },
  // timeout
  {
    name: 'timeout: ten',
    inputs: { timeout: 'ten' },
    line: /^Input 'timeout' must be a whole number of seconds above 0, not 'ten'/
  },
  { name: 'timeout: 0', inputs: { timeout: '0' }, line: /^Input 'timeout' must be a whole number/ },
  { name: 'timeout: 1.5', inputs: { timeout: '1.5' }, line: /^Input 'timeout' must be a whole number/ },
  { name: 'timeout: -5', inputs: { timeout: '-5' }, line: /^Input 'timeout' must be a whole number/ },
  {
    name: 'timeout past the timer limit',
    inputs: { timeout: '2147484' },
    line: /^Input 'timeout' is 2147484 seconds, more than the longest an import may take \(21600 s, 6 hours\)/
  },
  {
    name: 'timeout: 9999999999',
    inputs: { timeout: '9999999999' },
    line: /more than the longest an import may take/
  },
  // concurrency and shard
  {
    name: 'concurrency: 0',
    inputs: { concurrency: '0' },
    line: /^Input 'concurrency' must be auto or a whole number from 1 to 200, not '0'/
  },
  {
    name: 'concurrency: 201',
    inputs: { concurrency: '201' },
    line: /^Input 'concurrency' must be auto or a whole number/
  },
  {
    name: 'concurrency: lots',
    inputs: { concurrency: 'lots' },
    line: /^Input 'concurrency' must be auto or a whole number/
  },
  {
    name: 'shard: 5/4',
    inputs: { shard: '5/4' },
    line: /^Input 'shard' must be i\/n with 1 <= i <= n, not '5\/4'/
  },
  { name: 'shard: 0/4', inputs: { shard: '0/4' }, line: /^Input 'shard' must be i\/n/ },
  { name: 'shard: 1/0', inputs: { shard: '1/0' }, line: /^Input 'shard' must be i\/n/ },
  { name: 'shard: two', inputs: { shard: 'two' }, line: /^Input 'shard' must be i\/n/ },
  // images file
  {
    name: 'an images file that does not exist',
    inputs: { 'images-file': 'no-such-images.yaml' },
    line: /no-such-images\.yaml/
  }
]

// Input made to hurt the step (issue 17 D2, D7-D10, D12, D13, D15; issue 16 item 4): refused at once, in one line,
// before any request. The images files are written once, when the table is loaded, into a folder of their own.
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const hostileDir = mkdtempSync(join(tmpdir(), 'bad-input-hostile-'))
process.once('exit', () => rmSync(hostileDir, { recursive: true, force: true }))
let hostileFiles = 0
/** An images file holding `text`, by its absolute path. */
const hostileFile = (text: string | Buffer): string => {
  const path = join(hostileDir, `images-${++hostileFiles}.yaml`)
  writeFileSync(path, text)
  return path
}
const withFile = (name: string, text: string | Buffer, line: RegExp): BadInputCase => ({
  name,
  inputs: { source: '', 'images-file': hostileFile(text) },
  line
})

ENGINE_CASES.push(
  {
    name: 'an images file that is a device (/dev/zero)',
    inputs: { source: '', 'images-file': '/dev/zero' },
    line: /^Images file \/dev\/zero is not a regular file \(a device, pipe or socket\)\. /
  },
  withFile(
    'an images file over 4 MiB',
    Buffer.alloc(4 * 1024 * 1024 + 1, '#'),
    /is 4194305 bytes, more than the 4194304 bytes \(4 MiB\) an images file may have\. /
  ),
  withFile(
    'an alias bomb',
    `x: &a [nginx:1.27]\nimages:\n${'  - *a\n'.repeat(10_001)}`,
    /line \d+: the file has more than 10000 aliases \(\*name\)\. /
  ),
  withFile(
    'a YAML tag',
    'images:\n  - source: !secret docker.io/library/busybox:1.36\n',
    /line 2: the YAML tag !secret in 'source' is not allowed\. /
  ),
  withFile(
    'a file of secrets given as the images file',
    'db-password=hunter2 s3cr3t: value\nimages: [nginx]\n',
    /^(?!.*(?:hunter2|s3cr3t)).*line 1: unknown field in the file\. /
  ),
  withFile(
    "the runner's OIDC request token named as a password",
    'images:\n  - source: nginx:1.27\n    credentials: { password-env: ACTIONS_ID_TOKEN_REQUEST_TOKEN }\n',
    /line 3: 'password-env' names ACTIONS_ID_TOKEN_REQUEST_TOKEN, a token or sign-in secret of the runner/
  ),
  withFile(
    'a service connection parameter named as a username',
    'images:\n  - source: nginx:1.27\n    credentials: { username-env: ENDPOINT_AUTH_PARAMETER_SERVICEPRINCIPALKEY, password-env: HUB_TOKEN }\n',
    /line 3: 'username-env' names ENDPOINT_AUTH_PARAMETER_SERVICEPRINCIPALKEY, a parameter of the agent's/
  ),
  withFile(
    'credentials under defaults that name no registry, for two registries',
    'defaults:\n  credentials: { password-env: HUB_TOKEN }\nimages:\n  - nginx:1.27\n  - registry.contoso.com/team/app:1\n',
    /line 2: the credentials under defaults: name no registry, but entries on several registries would use them/
  ),
  withFile(
    "an entry's credentials for another registry",
    'images:\n  - source: registry.contoso.com/team/app:1\n    credentials: { registry: docker.io, password-env: HUB_TOKEN }\n',
    /line 3: these credentials are for docker\.io, but the entry's source is on registry\.contoso\.com\. /
  ),
  {
    name: 'step credentials with sources on two registries',
    inputs: {
      source: 'docker.io/library/nginx:1.27\nmcr.microsoft.com/dotnet/runtime:8.0 => dotnet/runtime:8.0',
      username: 'hubbot',
      password: 'step-password-value'
    },
    line: /^The step's username and password would go to several registries: docker\.io \(source line 1\), mcr\.microsoft\.com \(source line 2\)\. /
  },
  {
    name: 'a tag regex with a backreference',
    inputs: { source: 'docker.io/library/nginx', tags: 'regex: (a)\\1' },
    line: /^Input 'tags': regex '\(a\)\\1' cannot be matched in linear time/
  },
  {
    name: 'shard: 1/99999999999999999999999',
    inputs: { shard: '1/99999999999999999999999' },
    line: /^Input 'shard' must be i\/n with 1 <= i <= n/
  }
)

// The trust policy (issue 19): each mistake in a policy, in what it names, or in what verify: chooses is refused in
// one line that names the file, the line and the field, before any request. Their names start with 'trust policy:'
// (__tests__/core/input-defences/trust-policy-cases.test.ts runs them in-process too).
const trustKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
writeFileSync(join(hostileDir, 'release.pub'), trustKeys.publicKey.export({ type: 'spki', format: 'pem' }))
writeFileSync(join(hostileDir, 'release.key'), trustKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }))
writeFileSync(join(hostileDir, 'trusted_root.json'), '{"mediaType": ')
/** An images file whose one entry verifies with policy p, written under `trust:` as `policy` (lines, indented). */
const withTrust = (name: string, policy: string[], line: RegExp): BadInputCase =>
  withFile(
    `trust policy: ${name}`,
    `trust:\n  p:\n${policy.map((l) => `    ${l}\n`).join('')}images:\n  - source: docker.io/library/nginx:1.27\n    verify: p\n`,
    line
  )
let trustPolicyFiles = 0
const trustPolicyFile = (text: string): string => {
  const path = join(hostileDir, `trust-${++trustPolicyFiles}.yaml`)
  writeFileSync(path, text)
  return path
}
const ISSUER = 'issuer: https://token.actions.githubusercontent.com'

ENGINE_CASES.push(
  withTrust(
    'an unknown field',
    ['cosign:', '  key: release.pub', '  tlog: skip'],
    /images-\d+\.yaml line 5: unknown field 'tlog' in cosign of trust policy 'p'\. The known fields are key, issuer, subject, trusted-root, transparency-log\.$/
  ),
  withTrust(
    'both cosign and notation',
    ['cosign: { key: release.pub }', 'notation: { trust-store: release.pub }'],
    /images-\d+\.yaml line 4: trust policy 'p' has both cosign and notation\. /
  ),
  withTrust(
    'neither cosign nor notation',
    ['{}'],
    /images-\d+\.yaml line 2: trust policy 'p' has neither cosign nor notation\. /
  ),
  withTrust(
    'a key and an issuer',
    ['cosign:', '  key: release.pub', `  ${ISSUER}`, '  subject: x'],
    /images-\d+\.yaml line 5: cosign of trust policy 'p' has both 'key' and 'issuer'\. /
  ),
  withTrust(
    'an issuer without a subject',
    ['cosign:', `  ${ISSUER}`],
    /images-\d+\.yaml line 4: cosign of trust policy 'p' has 'issuer' without 'subject'\. /
  ),
  withTrust(
    'a key file that does not exist',
    ['cosign: { key: keys/missing.pub }'],
    /images-\d+\.yaml line 3: 'key' of trust policy 'p': file keys\/missing\.pub does not exist\. /
  ),
  withTrust(
    'a private key for the public key',
    ['cosign: { key: release.key }'],
    /images-\d+\.yaml line 3: 'key' of trust policy 'p' \(release\.key\) holds a private key\. Give the public key only/
  ),
  withTrust(
    'a subject that is not an RE2 regular expression',
    ['cosign:', `  ${ISSUER}`, "  subject: '^https://github\\.com/(contoso)/\\1$'"],
    /images-\d+\.yaml line 5: 'subject' of trust policy 'p' '.*' is not a valid RE2 regular expression \(invalid escape sequence/
  ),
  withTrust(
    'a trusted root that is not JSON',
    ['cosign:', `  ${ISSUER}`, '  subject: x', '  trusted-root: trusted_root.json'],
    /images-\d+\.yaml line 6: 'trusted-root' of trust policy 'p' \(trusted_root\.json\) is not JSON\. /
  ),
  withTrust(
    'a trust store that is a public key',
    ['notation: { trust-store: release.pub }'],
    /images-\d+\.yaml line 3: 'trust-store' of trust policy 'p' \(release\.pub\) holds a PUBLIC KEY, not a certificate\. /
  ),
  withFile(
    'trust policy: a name that trust: lacks',
    'trust:\n  release-key: { cosign: { key: release.pub } }\nimages:\n  - source: nginx:1.27\n    verify: relase-key\n',
    /images-\d+\.yaml line 5: 'verify' names 'relase-key', which trust: does not define\. The policies are release-key/
  ),
  withFile(
    'trust policy: a policy that no verify: chooses',
    'trust:\n  release-key: { cosign: { key: release.pub } }\nimages: [nginx:1.27]\n',
    /images-\d+\.yaml line 2: trust policy 'release-key' is defined, but no verify: chooses it/
  ),
  {
    name: 'trust policy: a trust-policy file that does not exist',
    inputs: { 'trust-policy': join(hostileDir, 'no-such-trust.yaml') },
    line: /^Trust policy file .*no-such-trust\.yaml does not exist\. Check trust-policy \(trustPolicy in Azure Pipelines\)/
  },
  {
    name: 'trust policy: a trust-policy file without verify:',
    inputs: { 'trust-policy': trustPolicyFile('trust:\n  release-key: { cosign: { key: release.pub } }\n') },
    line: /trust-\d+\.yaml line 1: the trust policy file has no verify:, so it would verify nothing\. /
  },
  {
    name: 'trust policy: a verify-mode of another word in the trust-policy file',
    inputs: {
      'trust-policy': trustPolicyFile(
        'trust:\n  release-key: { cosign: { key: release.pub } }\nverify: release-key\nverify-mode: warn\n'
      )
    },
    line: /trust-\d+\.yaml line 4: 'verify-mode' must be enforce or audit, not 'warn'\. /
  }
)
