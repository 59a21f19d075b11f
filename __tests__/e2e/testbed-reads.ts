// What the scenarios read back from the test bed: the digest a source serves, and the importImage body ARM
// accepted for a target.
import type { Testbed } from '../testbed/types.js'
import { REGISTRIES, loginServerOf } from '../testbed/world.js'

/** The target registry of every scenario. */
export const PROD = loginServerOf(REGISTRIES.prod)

/** The digest the source registry serves for `repo:reference`. */
export async function sourceDigest(
  testbed: Testbed,
  host: string,
  repo: string,
  reference: string
): Promise<string> {
  const digest = await testbed.backend(host).headManifest(repo, reference)
  if (!digest) throw new Error(`fixture ${host}/${repo}:${reference} is missing`)
  return digest
}

/** The last importImage body ARM accepted for a target tag (or untagged target repository). */
export function importBodyFor(testbed: Testbed, targetTag: string): Record<string, unknown> | undefined {
  return testbed.imports
    .map((entry) => entry.body as { targetTags?: string[]; untaggedTargetRepositories?: string[] })
    .reverse()
    .find(
      (body) => body.targetTags?.includes(targetTag) || body.untaggedTargetRepositories?.includes(targetTag)
    ) as Record<string, unknown> | undefined
}

/** How many importImage POSTs `step` made, with what it returned. */
export async function counting<T>(
  testbed: Testbed,
  step: () => Promise<T>
): Promise<{ step: T; imports: number }> {
  const before = testbed.counters().importImagePosts
  const result = await step()
  return { step: result, imports: testbed.counters().importImagePosts - before }
}
