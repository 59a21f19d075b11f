import { authorityOptions } from '../../src/core/credential/create-credential.js'
import { describe, expect, it } from '@jest/globals'
import { resolveCloud } from '../../src/core/cloud/clouds.js'

describe('resolveCloud', () => {
  it('defaults to AzureCloud with single-slash scopes', () => {
    expect(resolveCloud({})).toEqual({
      name: 'AzureCloud',
      armEndpoint: 'https://management.azure.com',
      armScope: 'https://management.azure.com/.default',
      authorityHost: 'https://login.microsoftonline.com',
      acrLoginSuffix: '.azurecr.io',
      acrAudience: 'https://containerregistry.azure.net',
      federatedAudience: 'api://AzureADTokenExchange',
      customAuthority: false
    })
  })

  it('knows the sovereign clouds, case-insensitively', () => {
    const gov = resolveCloud({ environment: 'azureusgovernment' })
    expect(gov).toMatchObject({
      name: 'AzureUSGovernment',
      armScope: 'https://management.usgovcloudapi.net/.default',
      authorityHost: 'https://login.microsoftonline.us',
      acrLoginSuffix: '.azurecr.us',
      federatedAudience: 'api://AzureADTokenExchangeUSGov'
    })
    expect(resolveCloud({ environment: 'AzureChinaCloud' })).toMatchObject({
      armScope: 'https://management.chinacloudapi.cn/.default',
      acrLoginSuffix: '.azurecr.cn',
      federatedAudience: 'api://AzureADTokenExchangeChina'
    })
  })

  it('takes explicit Azure Stack Hub endpoints and marks the authority custom', () => {
    const stack = resolveCloud({
      environment: 'AzureStack',
      armEndpoint: 'https://management.local.azurestack.external/',
      authorityHost: 'https://adfs.local.azurestack.external/adfs/'
    })
    expect(stack).toMatchObject({
      name: 'AzureStack',
      armScope: 'https://management.local.azurestack.external/.default',
      authorityHost: 'https://adfs.local.azurestack.external/adfs',
      acrLoginSuffix: '.azsacr.local.azurestack.external',
      customAuthority: true
    })
  })

  it('lets the federated audience be overridden', () => {
    expect(resolveCloud({ audience: 'api://custom' }).federatedAudience).toBe('api://custom')
  })

  it.each([
    [
      { environment: 'AzureGermanCloud' },
      /Unknown environment 'AzureGermanCloud'\. Use one of AzureCloud, AzureUSGovernment/
    ],
    [{ environment: 'AzureStack' }, /needs its endpoints/],
    [{ armEndpoint: 'http://management.local' }, /is not https/],
    [{ armEndpoint: 'not a url' }, /is not a URL/]
  ])('rejects %j', (options, message) => {
    let text = ''
    try {
      resolveCloud(options)
    } catch (err) {
      text = (err as { format(): string }).format()
    }
    expect(text).toMatch(message)
  })
})

describe('authorityOptions', () => {
  it("turns Entra ID's instance discovery off for a custom authority only", () => {
    const stack = resolveCloud({
      environment: 'AzureStack',
      armEndpoint: 'https://management.local.azurestack.external',
      authorityHost: 'https://adfs.local.azurestack.external/adfs'
    })
    expect(authorityOptions(stack)).toEqual({
      authorityHost: 'https://adfs.local.azurestack.external/adfs',
      disableInstanceDiscovery: true
    })
    expect(authorityOptions(resolveCloud({}))).toEqual({
      authorityHost: 'https://login.microsoftonline.com',
      disableInstanceDiscovery: false
    })
  })
})
