// Behind an HTTPS proxy the step keeps its tunnels alive: the SDKs' proxy policy opens a new CONNECT tunnel and
// TLS session for every request; ours swaps its agent for one keep-alive agent per proxy that every client shares.
import { describe, expect, it } from '@jest/globals'
import { Agent } from 'node:https'
import { createHttpHeaders, createPipelineRequest, type PipelineRequest } from '@azure/core-rest-pipeline'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { keepAliveProxyPolicy } from '../../src/core/network/keep-alive-proxy.js'
import { sendHttp } from '../../src/core/registry/http.js'
import { useTestbedInProcess } from './fake-host.js'

const testbedNow = useTestbedInProcess()

/** The agent the request goes out with after the policy. */
async function agentAfterPolicy(agent: PipelineRequest['agent']): Promise<PipelineRequest['agent']> {
  const request = createPipelineRequest({
    url: 'https://registry-1.docker.io/v2/',
    headers: createHttpHeaders()
  })
  request.agent = agent
  let sent: PipelineRequest['agent']
  await keepAliveProxyPolicy.sendRequest(request, async (r) => {
    sent = r.agent
    return { status: 200, headers: createHttpHeaders(), request: r }
  })
  return sent
}

describe('the keep-alive proxy policy', () => {
  it("swaps the SDK's tunnelling agent for one keep-alive agent per proxy, shared by every request", async () => {
    const first = await agentAfterPolicy(new HttpsProxyAgent('http://proxy.contoso.com:8080'))
    const second = await agentAfterPolicy(new HttpsProxyAgent('http://proxy.contoso.com:8080'))
    expect(first).toBeInstanceOf(HttpsProxyAgent)
    expect((first as unknown as { keepAlive: boolean }).keepAlive).toBe(true)
    expect(second).toBe(first)
    // Another proxy (or other proxy credentials) is another agent.
    expect(await agentAfterPolicy(new HttpsProxyAgent('http://user:pw@proxy.contoso.com:8080'))).not.toBe(
      first
    )
  })

  it('leaves requests the SDK does not proxy (NO_PROXY, no proxy set) and other agents alone', async () => {
    expect(await agentAfterPolicy(undefined)).toBeUndefined()
    const own = new Agent()
    expect(await agentAfterPolicy(own)).toBe(own)
  })

  it('sends ten requests to one host through the proxy over one tunnel', async () => {
    const before = testbedNow().counters().proxyTunnels
    for (let i = 0; i < 10; i++) {
      const answer = await sendHttp({ method: 'GET', url: 'https://registry-1.docker.io/v2/', headers: {} })
      expect(answer.status).toBe(401)
    }
    expect(testbedNow().counters().proxyTunnels - before).toBe(1)
  })
})
