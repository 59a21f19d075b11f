// The `trust-policy` input (trustPolicy in Azure Pipelines, --trust-policy on the command line): a YAML file of
// named policies under `trust:` and the `verify:` (with an optional `verify-mode:`) that applies to every entry of
// the step that does not say otherwise: each source line, and each entry of the images file without a `verify:`
// of its own or under its `defaults:`. A step can so verify its sources without an images file, and a platform
// team can keep one policy file for many pipelines. Paths in it are relative to its own folder.
//
//   trust:
//     release-key:
//       cosign: { key: keys/release.pub }
//   verify: release-key
//   verify-mode: enforce
import { dirname } from 'node:path'
import { isMap } from 'yaml'
import { displayName } from './images-file.js'
import { readUserFile, type UserFileKind } from './read-images-text.js'
import type { EntryVerification } from './trust-policy.js'
import { chosenPolicies } from './trust-policy-choice.js'
import { readPolicies, readVerify, readVerifyMode, type PolicyBook } from './trust-policy-fields.js'
import { YamlFields } from './yaml-fields.js'

export const TRUST_POLICY_FILE_FIELDS = ['trust', 'verify', 'verify-mode', '$schema'] as const

/** The step's trust: the file's policies (an images file's `verify:` may name them too) and its default. */
export interface StepTrust {
  book: PolicyBook
  /** What every entry verifies with unless it says otherwise. */
  verification: EntryVerification
}

const TRUST_POLICY_FILE: UserFileKind = {
  label: 'Trust policy file',
  noun: 'a trust policy file',
  maxBytes: 1024 * 1024,
  maxInWords: '1 MiB',
  missingHint:
    'check trust-policy (trustPolicy in Azure Pipelines): a relative path is read from the workspace (GITHUB_WORKSPACE; System.DefaultWorkingDirectory in Azure Pipelines), so check the repository out first',
  tooLargeHint: 'a trust policy file holds a few policies; give the path of the right file'
}

const FILE_HINT =
  'write the policies under trust: and the default under verify:, e.g. trust: { release-key: { cosign: { key: keys/release.pub } } } and verify: release-key'

/** Reads and checks the file at `path` (absolute). Every mistake is one UserError naming the file and the line. */
export function readTrustPolicyFile(path: string): StepTrust {
  const name = displayName(path)
  const yaml: YamlFields = YamlFields.parse(readUserFile(path, name, TRUST_POLICY_FILE), name)
  const root = yaml.root
  if (!root) yaml.fail(`${name} line 1`, 'the trust policy file is empty', FILE_HINT)
  if (!isMap(root))
    yaml.fail(yaml.where(root), 'the trust policy file must be a map with trust: and verify:', FILE_HINT)
  const fields = yaml.fields(root, 'the trust policy file', TRUST_POLICY_FILE_FIELDS)
  const given = (field: string) => {
    const found = fields.get(field)
    return found && !yaml.isEmpty(found) ? found : undefined
  }
  const trust = given('trust')
  if (!trust) yaml.fail(yaml.where(root), 'the trust policy file has no trust: policies', FILE_HINT)
  const book = readPolicies(yaml, trust, dirname(path))
  const verifyField = given('verify')
  if (!verifyField) {
    yaml.fail(
      yaml.where(root),
      'the trust policy file has no verify:, so it would verify nothing',
      `name the policy (or the list of policies) every image must pass, e.g. verify: ${[...book.keys()][0]}`
    )
  }
  const verify = readVerify(yaml, verifyField)
  if (verify.value === false) {
    yaml.fail(
      verify.where,
      "the trust policy file's verify: is false, so it would verify nothing",
      'name a policy (or a list); to verify nothing, leave out trust-policy, or write verify: false on the entries of an images file'
    )
  }
  const mode = given('verify-mode')
  return {
    book,
    verification: {
      policies: chosenPolicies(verify.value, book),
      mode: mode ? readVerifyMode(yaml, mode).value : 'enforce'
    }
  }
}
