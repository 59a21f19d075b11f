import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/core/errors/user-error.js'
import {
  parseRepositoryReference,
  parseSourceReference,
  parseTargetTag
} from '../../src/core/reference/parse-reference.js'

const DIGEST = `sha256:${'a'.repeat(64)}`

describe('parseSourceReference', () => {
  it.each([
    ['nginx', 'docker.io', 'library/nginx', 'latest', undefined],
    ['nginx:1.27', 'docker.io', 'library/nginx', '1.27', undefined],
    ['bitnami/redis:7', 'docker.io', 'bitnami/redis', '7', undefined],
    ['docker.io/library/hello-world:latest', 'docker.io', 'library/hello-world', 'latest', undefined],
    ['docker.io/nginx', 'docker.io', 'library/nginx', 'latest', undefined],
    ['index.docker.io/library/busybox:1', 'docker.io', 'library/busybox', '1', undefined],
    ['registry-1.docker.io/user/app:2', 'docker.io', 'user/app', '2', undefined],
    ['registry.hub.docker.com/hello-world', 'docker.io', 'library/hello-world', 'latest', undefined],
    ['mcr.microsoft.com/dotnet/runtime:8.0', 'mcr.microsoft.com', 'dotnet/runtime', '8.0', undefined],
    [
      'MCR.Microsoft.com/windows/servercore:ltsc2022',
      'mcr.microsoft.com',
      'windows/servercore',
      'ltsc2022',
      undefined
    ],
    ['localhost:5000/app', 'localhost:5000', 'app', 'latest', undefined],
    ['localhost/app:1', 'localhost', 'app', '1', undefined],
    [`devacr.azurecr.io/app@${DIGEST}`, 'devacr.azurecr.io', 'app', undefined, DIGEST]
  ])('%s', (text, registry, repository, tag, digest) => {
    expect(parseSourceReference(text).reference).toEqual({ registry, repository, tag, digest })
  })

  it('says when it reads Docker shorthand, and not for a full reference', () => {
    expect(parseSourceReference('nginx').notices).toEqual([
      "'nginx' is read as the Docker Hub image docker.io/library/nginx:latest"
    ])
    expect(parseSourceReference('docker.io/library/nginx:1').notices).toEqual([])
  })

  it('refuses a reference with both a tag and a digest: which one was meant cannot be guessed', () => {
    expect(() => parseSourceReference(`mcr.microsoft.com/a:1@${DIGEST}`)).toThrow(/both a tag and a digest/)
    expect(() => parseRepositoryReference(`a:1@${DIGEST}`)).toThrow(/both a tag and a digest/)
  })

  it.each([
    ['', /empty/],
    ['/nginx', /starts with "\/"/],
    ['docker.io/', /nothing after the registry host/],
    ['mcr.microsoft.com/Dotnet/runtime', /upper-case/],
    ['nginx:', /tag after ":" is empty/],
    ['nginx:-bad', /not a valid tag/],
    ['nginx@sha256:abc', /not a sha256 digest/],
    [`nginx@sha256:${'A'.repeat(64)}`, /must be lower case/],
    ['my registry/app', /white space/],
    ['mcr.microsoft.com/a//b', /empty path component/],
    ['mcr.microsoft.com/a..b', /not a valid repository path component/]
  ])('rejects %j', (text, problem) => {
    let error: unknown
    try {
      parseSourceReference(text)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).message).toMatch(problem)
    expect((error as UserError).format()).toMatch(/Malformed source reference .*\. Write it as/)
  })
})

describe('parseRepositoryReference', () => {
  it('reads repo, tag and digest without a registry', () => {
    expect(parseRepositoryReference('team/app:1.2')).toEqual({
      repository: 'team/app',
      tag: '1.2',
      digest: undefined
    })
    expect(parseRepositoryReference('app')).toEqual({ repository: 'app', tag: 'latest', digest: undefined })
    expect(parseRepositoryReference(`app@${DIGEST}`)).toEqual({
      repository: 'app',
      tag: undefined,
      digest: DIGEST
    })
  })
})

describe('parseTargetTag', () => {
  it('keeps a missing tag undefined and rejects digests', () => {
    expect(parseTargetTag('base/node:22-alpine')).toEqual({ repository: 'base/node', tag: '22-alpine' })
    expect(parseTargetTag('base/node')).toEqual({ repository: 'base/node', tag: undefined })
    expect(() => parseTargetTag(`app@${DIGEST}`)).toThrow(/cannot have a digest/)
    expect(() => parseTargetTag('App:1')).toThrow(/upper-case/)
  })
})
