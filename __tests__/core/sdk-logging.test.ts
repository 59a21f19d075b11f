import { describe, expect, it, jest } from '@jest/globals'
import {
  createClientLogger as createRuntimeLogger,
  setLogLevel as setRuntimeLogLevel,
  TypeSpecRuntimeLogger
} from '@typespec/ts-http-runtime'
import { AzureLogger, createClientLogger, setLogLevel } from '@azure/logger'
import { redactSecrets } from '../../src/core/sdk-logging/redact-secrets.js'
import { routeAzureSdkLogs, sdkLogLine } from '../../src/core/sdk-logging/route-azure-sdk-logs.js'
import type { Logger } from '../../src/core/log/logger.js'

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.c2lnbmF0dXJlLXBhcnQ'
const BASIC = Buffer.from('contosobot:dckr_pat_not-a-real-token-7Hq').toString('base64')
const OPAQUE = 'opaque-acr-refresh-9f8e7d6c5b4a'

describe('redactSecrets', () => {
  it.each([
    [
      'raw socket header text',
      `GET /token HTTP/1.1\r\naccept: application/json\r\nauthorization: Basic ${BASIC}\r\nHost: x\r\n\r\n`,
      BASIC,
      'authorization: Basic ***\r\nHost: x'
    ],
    [
      'JSON-escaped socket text',
      `"_header": "POST /x HTTP/1.1\\r\\nAuthorization: Bearer ${OPAQUE}\\r\\nHost: m\\r\\n"`,
      OPAQUE,
      'Authorization: Bearer ***\\r\\nHost: m'
    ],
    [
      'a JSON header',
      `{"authorization":"Bearer ${OPAQUE}","accept":"*/*"}`,
      OPAQUE,
      '"authorization":"Bearer ***","accept"'
    ],
    [
      'an escaped JSON header',
      `{\\"Authorization\\": \\"Basic ${BASIC}\\"}`,
      BASIC,
      '\\"Authorization\\": \\"Basic ***\\"'
    ],
    ['a header without scheme', `proxy-authorization: ${OPAQUE}`, OPAQUE, 'proxy-authorization: ***'],
    [
      'an inspected object',
      `{ authorization: 'Bearer ${OPAQUE}', x: 1 }`,
      OPAQUE,
      "authorization: 'Bearer ***'"
    ],
    [
      'a client secret form',
      `grant_type=client_credentials&client_secret=s3cr3t~value.x&scope=a`,
      's3cr3t~value.x',
      'client_secret=***&scope=a'
    ],
    [
      'a client assertion form',
      `client_assertion_type=jwt-bearer&client_assertion=${OPAQUE}&x=1`,
      OPAQUE,
      'client_assertion=***&x=1'
    ],
    ['a password form', `username=bot&password=${OPAQUE}`, OPAQUE, 'username=bot&password=***'],
    [
      'a refresh token form',
      `grant_type=access_token&service=a&access_token=${OPAQUE}&refresh_token=${OPAQUE}x`,
      OPAQUE,
      'access_token=***&refresh_token=***'
    ],
    [
      'tokens in JSON',
      `{"token_type":"Bearer","access_token":"${OPAQUE}","refresh_token":"${OPAQUE}y","expires_in":3599}`,
      OPAQUE,
      '"token_type":"Bearer","access_token":"***","refresh_token":"***","expires_in":3599'
    ],
    [
      'a password with a quote in JSON',
      `{"username":"bot","password":"pa\\"ss${OPAQUE}"}`,
      OPAQUE,
      '"password":"***"}'
    ],
    [
      'camelCase fields',
      `{ clientSecret: '${OPAQUE}', proxyPassword: "${OPAQUE}z" }`,
      OPAQUE,
      'clientSecret: \'***\', proxyPassword: "***"'
    ],
    ['a JWT anywhere', `getToken() => SUCCESS ${JWT} (expires soon)`, JWT, 'SUCCESS *** (expires soon)'],
    [
      'a proxy URL with credentials',
      `"proxy": "http://proxyuser:${OPAQUE}@proxy.contoso.com:3128/"`,
      OPAQUE,
      'http://***@proxy.contoso.com:3128/'
    ]
  ])('masks %s', (_name, text, secret, expected) => {
    const redacted = redactSecrets(text)
    expect(redacted).not.toContain(secret)
    expect(redacted).toContain(expected)
  })

  it('leaves ordinary text alone', () => {
    const text =
      'Request: { "url": "https://management.azure.com/x?api-version=1", "authorizationError": null, ' +
      '"headers": { "authorization": "REDACTED" }, "token_type": "Bearer" } Attempting to acquire token using client assertion'
    expect(redactSecrets(text)).toBe(text.replace('"REDACTED"', '"***"'))
  })
})

describe('sdkLogLine', () => {
  it('is one capped line without credentials, whatever the SDK passes', () => {
    const socket = { _header: `GET /token HTTP/1.1\r\nauthorization: Basic ${BASIC}\r\n\r\n` }
    const dump = JSON.stringify(
      { url: 'https://x/', sockets: { x: [socket] }, pad: 'p'.repeat(20_000) },
      null,
      2
    )
    for (const args of [
      [`azure:core-rest-pipeline:info Request: ${dump}`],
      ['azure:x:info', socket, new Error(JWT)]
    ]) {
      const line = sdkLogLine(args)
      expect(line).toMatch(/^azure:/)
      expect(line).not.toMatch(/[\r\n]/)
      expect(line.length).toBeLessThanOrEqual(1001)
      expect(line).toMatch(/authorization: Basic \*\*\*/)
      expect(line).not.toContain(BASIC)
      expect(line).not.toContain(JWT)
    }
  })

  it('ends a request dump at its proxy agent', () => {
    const request = {
      url: 'https://management.azure.com/x',
      method: 'POST',
      headers: { authorization: 'REDACTED' }
    }
    const dump = JSON.stringify(
      { ...request, agent: { proxy: 'http://127.0.0.1:3128/' }, timeout: 0 },
      null,
      2
    )
    expect(sdkLogLine([`azure:core-rest-pipeline:info Request: ${dump}`])).toBe(
      'azure:core-rest-pipeline:info Request: { "url": "https://management.azure.com/x", "method": "POST", ' +
        '"headers": { "authorization": "***" }, "agent": (omitted) }'
    )
  })

  it('keeps the formatting of a plain message and previews extra arguments', () => {
    expect(
      sdkLogLine(['azure:identity:info %s => getToken()', 'ClientAssertionCredential', { scopes: ['a'] }])
    ).toBe('azure:identity:info ClientAssertionCredential => getToken() { scopes: [Array] }')
  })
})

function loggerSpy(): { log: Logger; debug: jest.Mock<(message: string) => void> } {
  const debug = jest.fn<(message: string) => void>()
  const log: Logger = {
    info: jest.fn(),
    notice: jest.fn(),
    warning: jest.fn(),
    debug,
    group: jest.fn() as Logger['group'],
    setSecret: jest.fn()
  }
  return { log, debug }
}

describe('routeAzureSdkLogs', () => {
  it('sends SDK log lines to debug, redacted, and nothing to stderr', () => {
    const original = AzureLogger.log
    const { log, debug } = loggerSpy()
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      routeAzureSdkLogs(log)
      setLogLevel('info')
      createClientLogger('core-rest-pipeline').info(`Request: authorization: Bearer ${JWT}`)
      expect(debug).toHaveBeenCalledWith('azure:core-rest-pipeline:info Request: authorization: Bearer ***')
      expect(stderr).not.toHaveBeenCalled()
    } finally {
      stderr.mockRestore()
      setLogLevel()
      AzureLogger.log = original
    }
  })

  it('routes the HTTP runtime logger under the SDKs the same way', () => {
    const original = TypeSpecRuntimeLogger.log
    const { log, debug } = loggerSpy()
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      routeAzureSdkLogs(log)
      setRuntimeLogLevel('info')
      createRuntimeLogger('ts-http-runtime').info(`Request: Authorization: Basic dXNlcjpwYXNz`)
      expect(debug).toHaveBeenCalledWith(
        'typeSpecRuntime:ts-http-runtime:info Request: Authorization: Basic ***'
      )
      expect(stderr).not.toHaveBeenCalled()
    } finally {
      stderr.mockRestore()
      setRuntimeLogLevel()
      TypeSpecRuntimeLogger.log = original
    }
  })
})
