// Credentials go to their own registry only (issue 17 D2, D14; issue 16 item 4): the defaults' credentials to
// the registry they name; unnamed, to one registry only; an entry's own to its source; the step's
// username/password to one registry; the runner's, agent's and step's own secrets never named as a registry's;
// a username read from a variable registered as a secret too. All refused in the entries stage, before any
// request.
import { describe, expect, it } from '@jest/globals'
import { build, imagesFiles, refusal } from './defences-helpers.js'

const files = imagesFiles()
const ENV = {
  HUB_USER: 'contoso-hub-bot',
  HUB_TOKEN: 'dckr_pat_hub-token-value',
  CONTOSO_TOKEN: 'contoso-token-value',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-oidc-request-token',
  AZURE_CLIENT_SECRET: 'the-step-sign-in-secret'
}
const fileOf = (...lines: string[]) => files.file(`${lines.join('\n')}\n`)
/** The entries stage on an images file of `lines`, with ENV. */
const entriesOf = (...lines: string[]) => build({ imagesFile: fileOf(...lines) }, ENV)
const refused = (...lines: string[]) => refusal(() => entriesOf(...lines)).replaceAll(`${files.dir}/`, '')
const passwords = (built: ReturnType<typeof build>) => built.entries.map((e) => e.credentials?.password)

describe('credentials under defaults:', () => {
  it('that name their registry go to the entries of that registry only', () => {
    const built = entriesOf(
      'defaults:',
      '  credentials: { registry: docker.io, username-env: HUB_USER, password-env: HUB_TOKEN }',
      'images:',
      '  - docker.io/library/redis:7',
      '  - nginx:1.27', // Docker Hub, written short
      '  - registry-1.docker.io/library/busybox:1.36', // Docker Hub by another name
      '  - registry.attacker.example/team/app:1', // another registry: anonymous
      '  - mcr.microsoft.com/dotnet/runtime:8.0'
    )
    expect(passwords(built)).toEqual([ENV.HUB_TOKEN, ENV.HUB_TOKEN, ENV.HUB_TOKEN, undefined, undefined])
  })

  it('that name no registry are refused when entries of several registries would use them', () => {
    expect(
      refused(
        'defaults:',
        '  credentials: { username-env: HUB_USER, password-env: HUB_TOKEN }',
        'images:',
        '  - docker.io/library/redis:7',
        '  - registry.attacker.example/team/app:1'
      )
    ).toBe(
      'images-2.yaml line 2: the credentials under defaults: name no registry, but entries on several registries would use them: docker.io (images-2.yaml line 4), registry.attacker.example (images-2.yaml line 5). Credentials go to one registry: name it inside them, e.g. credentials: { registry: docker.io, password-env: DOCKERHUB_TOKEN }, and give the other entries credentials of their own (or none).'
    )
  })

  it('that name no registry still serve one registry (the README example: the others say none)', () => {
    const built = entriesOf(
      'defaults:',
      '  credentials: { username-env: HUB_USER, password-env: HUB_TOKEN }',
      'images:',
      '  - docker.io/library/redis:7',
      '  - source: mcr.microsoft.com/dotnet/runtime:8.0',
      '    credentials: none'
    )
    expect(passwords(built)).toEqual([ENV.HUB_TOKEN, undefined])
  })
})

describe("an entry's own credentials", () => {
  it('that name another registry than its source are refused', () => {
    expect(
      refused(
        'images:',
        '  - source: registry.attacker.example/team/app:1',
        '    credentials: { registry: docker.io, password-env: HUB_TOKEN }'
      )
    ).toMatch(
      /^images-\d+\.yaml line 3: these credentials are for docker\.io, but the entry's source is on registry\.attacker\.example\. Credentials go to their own registry only/
    )
  })

  it("'registry' must be a host", () => {
    expect(
      refused(
        'images:',
        '  - source: nginx:1.27',
        '    credentials: { registry: "https://docker.io/x", password-env: HUB_TOKEN }'
      )
    ).toMatch(/line 3: 'registry' in credentials must be a registry's host\. Write the host/)
  })
})

describe('variables that can never be registry credentials (D2)', () => {
  it.each([
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'ACTIONS_RUNTIME_TOKEN',
    'GITHUB_TOKEN',
    'SYSTEM_ACCESSTOKEN',
    'AZURE_CLIENT_SECRET',
    'AZURE_FEDERATED_TOKEN_FILE',
    'AZURE_CLIENT_CERTIFICATE_PATH',
    'AZURE_CLIENT_CERTIFICATE_PASSWORD',
    'azure_client_secret'
  ])('%s', (name) => {
    const line = refused('images:', '  - source: nginx:1.27', `    credentials: { password-env: ${name} }`)
    expect(line).toMatch(
      new RegExp(
        `^images-\\d+\\.yaml line 3: 'password-env' names ${name.toUpperCase()}, a token or sign-in secret of the runner, the agent or the step\\. Name a variable`
      )
    )
    expect(line).not.toContain(ENV.ACTIONS_ID_TOKEN_REQUEST_TOKEN)
  })

  it('the inputs of the step and the service connections parameters, by prefix; username-env too', () => {
    expect(
      refused('images:', '  - source: nginx:1.27', '    credentials: { password-env: INPUT_PASSWORD }')
    ).toMatch(/'password-env' names INPUT_PASSWORD, an input of the step/)
    expect(
      refused(
        'images:',
        '  - source: nginx:1.27',
        '    credentials: { username-env: ENDPOINT_AUTH_PARAMETER_SERVICEPRINCIPALID, password-env: HUB_TOKEN }'
      )
    ).toMatch(/'username-env' names ENDPOINT_AUTH_PARAMETER_SERVICEPRINCIPALID, a parameter of the agent's/)
    // Under defaults too, even when no entry uses them.
    expect(
      refused(
        'defaults:',
        '  credentials: { registry: docker.io, password-env: GITHUB_TOKEN }',
        'images:',
        '  - source: mcr.microsoft.com/dotnet/runtime:8.0'
      )
    ).toMatch(/line 2: 'password-env' names GITHUB_TOKEN/)
  })
})

describe('values read from the environment (D14)', () => {
  it('a username read through username-env is a secret to register, as the password is', () => {
    const built = entriesOf(
      'images:',
      '  - source: nginx:1.27',
      '    credentials: { username-env: HUB_USER, password-env: HUB_TOKEN }',
      '  - source: registry.contoso.com/team/app:1',
      '    credentials: { username: ci-puller, password-env: CONTOSO_TOKEN }'
    )
    expect(built.secrets).toEqual([ENV.HUB_TOKEN, ENV.HUB_USER, ENV.CONTOSO_TOKEN])
  })
})

describe("the step's username and password (issue 16 item 4)", () => {
  const step = { username: 'hubbot', password: 'step-password-value' }

  it('are refused when source lines are on several registries', () => {
    expect(
      refusal(() =>
        build({
          sourceLines: [
            'docker.io/library/nginx:1.27',
            'mcr.microsoft.com/dotnet/runtime:8.0 => dotnet/runtime:8.0'
          ],
          credentials: step
        })
      )
    ).toBe(
      "The step's username and password would go to several registries: docker.io (source line 1), mcr.microsoft.com (source line 2). They are one registry's credentials: list the other images in an images file with credentials of their own (credentials: { registry: ..., password-env: ... }, or none), or set source-registry to the registry they are for."
    )
  })

  it('are refused when images-file entries without credentials of their own are on several registries', () => {
    const imagesFile = fileOf(
      'images:',
      '  - docker.io/library/redis:7',
      '  - mcr.microsoft.com/dotnet/runtime:8.0'
    )
    expect(refusal(() => build({ imagesFile, credentials: step }, ENV))).toMatch(
      /^The step's username and password would go to several registries: docker\.io \(\S*images-\d+\.yaml line 2\), mcr\.microsoft\.com \(\S*images-\d+\.yaml line 3\)\./
    )
  })

  it('go to one registry: entries with credentials of their own (or none) do not count', () => {
    const imagesFile = fileOf(
      'images:',
      '  - docker.io/library/redis:7',
      '  - source: mcr.microsoft.com/dotnet/runtime:8.0',
      '    credentials: none',
      '  - source: registry.contoso.com/team/app:1',
      '    credentials: { password-env: CONTOSO_TOKEN }'
    )
    const built = build({ sourceLines: ['nginx:1.27'], imagesFile, credentials: step }, ENV)
    expect(passwords(built)).toEqual([step.password, step.password, undefined, ENV.CONTOSO_TOKEN])
  })

  it('with source-registry, go to the entries in that registry only', () => {
    const imagesFile = fileOf('images:', '  - app:1.0.0', '  - mcr.microsoft.com/dotnet/runtime:8.0')
    const built = build({ imagesFile, sourceRegistry: 'devacr.azurecr.io', credentials: step }, ENV)
    expect(built.entries.map((e) => [e.reference.registry, e.credentials?.password])).toEqual([
      ['devacr.azurecr.io', step.password],
      ['mcr.microsoft.com', undefined]
    ])
  })
})
