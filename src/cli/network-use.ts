// Whether this process has sent anything over the network yet, from Node's own diagnostics channels (no patching).
// Exit code 2 promises "refused before any request": a step that fails before its first request failed on what
// the user wrote (flags, the images file, the environment's sign-in), one that fails later failed at its work.
// Every request of the engine goes through node:http(s) (the Azure SDKs' pipeline, sendHttp), through a proxy
// or not; fetch is watched too, in case a library uses it.
import diagnosticsChannel from 'node:diagnostics_channel'

const CHANNELS = ['http.client.request.start', 'net.client.socket', 'undici:request:create']

export interface NetworkUse {
  /** True once any request or connection was started. */
  started(): boolean
  dispose(): void
}

export function watchNetworkUse(): NetworkUse {
  let started = false
  const onStart = (): void => {
    started = true
  }
  for (const name of CHANNELS) diagnosticsChannel.subscribe(name, onStart)
  return {
    started: () => started,
    dispose: () => CHANNELS.forEach((name) => diagnosticsChannel.unsubscribe(name, onStart))
  }
}
