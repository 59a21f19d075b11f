// The signature gate: a decision of the plan, taken after the plan read each source's digest and before anything
// is imported. For each entry with `verify:` whose plan would import it (or finds it unchanged), it reads the
// signatures of the very digest the import will use, checks each against each chosen policy, and decides: one
// verifies, and the plan goes on with what verified it; none does, and under `enforce` the entry fails with one
// line (no importImage for it, the batch goes on), under `audit` it goes on with a warning in the same words.
// A decision is read once per source, digest and policies: other entries of the same image reuse it.
import type { TrustPolicy } from '../entries/trust-policy.js'
import { IMPORTER_ROLE } from '../errors/hints.js'
import { UserError } from '../errors/user-error.js'
import { safeText } from '../log/safe-text.js'
import { sourceHiddenFromRunner, type PlannedImport, type SignatureVerdict } from '../plan/planned-import.js'
import { fullReference } from '../reference/image-reference.js'
import type { ReferrerSources } from '../referrers/referrer-sources.js'
import { isAbortError } from '../util/abort.js'
import { describeError } from '../errors/describe-error.js'
import { mapLimited } from '../util/map-limited.js'
import { shortDigest } from '../util/digest.js'
import { checkSignature, type ImageDescriptor, type SignatureVerifiers } from './check-signature.js'
import { readImageDescriptor, readSignatures } from './read-signatures.js'
import { KIND_WORDS, refusalReason, type CarrierChecks } from './signature-refusal.js'

/** Entries verified at once; each reads a few small manifests and blobs. */
const PARALLEL_ENTRIES = 16

export interface GateContext {
  /** Reads an entry's source repository with the access that reads its digest (shared with the referrers step). */
  sources: ReferrerSources
  verifiers: SignatureVerifiers
  signal?: AbortSignal
}

/** What the signatures of one image said: what verified it, or why nothing did (and what would help). */
type GateDecision =
  Extract<SignatureVerdict, { verified: true }> | { verified: false; reason: string; hint?: string }

export async function gateImports(plans: PlannedImport[], context: GateContext): Promise<PlannedImport[]> {
  const decisions = new Map<string, Promise<GateDecision>>()
  const decisionFor = (plan: PlannedImport, policies: TrustPolicy[], digest: string) => {
    const { registry, repository } = plan.reference
    const key = `${registry}/${repository}@${digest} ${policies.map((p) => p.name).join(',')}`
    let decision = decisions.get(key)
    if (!decision) {
      decision = decide(plan, policies, digest, context)
      decisions.set(key, decision)
    }
    return decision
  }
  return mapLimited(plans, PARALLEL_ENTRIES, async (plan) => {
    const verify = plan.entry.verify
    if (!verify || verify.policies.length === 0 || plan.decision.kind === 'fail') return plan
    const decision =
      plan.source.kind === 'read'
        ? await decisionFor(plan, verify.policies, plan.source.manifest.digest)
        : unverifiable(plan)
    return applyDecision(plan, verify.mode, decision)
  })
}

/** Reads the image's signatures and checks each against each policy, in the order `verify:` names them. */
async function decide(
  plan: PlannedImport,
  policies: TrustPolicy[],
  digest: string,
  context: GateContext
): Promise<GateDecision> {
  const names = policies.map((p) => p.name)
  try {
    const reader = await context.sources.forEntry(plan, context.signal)
    if (!('source' in reader)) return unreadableSignatures(plan, reader.reason, reader.status)
    const { source } = reader
    const read = await readSignatures(source, digest)
    let descriptor: Promise<ImageDescriptor> | undefined
    const image = { digest, descriptor: () => (descriptor ??= readImageDescriptor(source, digest)) }
    const checked: CarrierChecks[] = read.carriers.map((carrier) => ({ carrier, checks: [] }))
    for (const policy of policies) {
      for (const { carrier, checks } of checked) {
        const check = await checkSignature(carrier, image, policy, context.verifiers)
        checks.push({ policy: policy.name, check })
        if (check?.verified) {
          const signer = safeText(check.signer)
          return { verified: true, policy: policy.name, kind: carrier.kind, signer, digest: carrier.digest }
        }
      }
    }
    return { verified: false, reason: refusalReason(digest, names, read, checked) }
  } catch (err) {
    if (isAbortError(err)) throw err
    return unreadableSignatures(plan, describeError(err).replace(/\.$/, ''))
  }
}

/** The source's signatures could not be read: nothing can be said of them, which enforce cannot let through. */
function unreadableSignatures(plan: PlannedImport, reason: string, status?: number): GateDecision {
  return {
    verified: false,
    reason: `the signatures of ${fullReference(plan.reference)} could not be read: ${safeText(reason)}`,
    hint: status === 401 || status === 403 ? readHint(plan) : UNREAD_HINT
  }
}

/** A source whose digest the runner could not read: its signatures cannot be either. */
function unverifiable(plan: PlannedImport): GateDecision {
  const source = plan.source
  const why = source.kind === 'unreadable' ? source.reason : 'it was not read'
  const hidden = sourceHiddenFromRunner(plan)
  return {
    verified: false,
    reason:
      `the signatures of ${fullReference(plan.reference)} cannot be checked: ` +
      `${hidden ? 'the runner cannot read it' : 'its digest could not be read'} (${safeText(why)})`,
    hint: hidden ? readHint(plan) : UNREAD_HINT
  }
}

/** A registry that failed to answer may answer the next run; the gate cannot decide without it. */
const UNREAD_HINT =
  'run the step again once the source registry answers; the gate lets nothing through unread'

function readHint(plan: PlannedImport): string {
  return (
    `grant the runner's identity pull access to ${plan.reference.registry} (AcrPull, or "${IMPORTER_ROLE}") ` +
    'and network access to it, so that it can read the signatures'
  )
}

/** What to do about an image no policy verifies, under enforce and under audit. */
export const REFUSED_HINT =
  'promote an image signed as the policy expects (a key or identity it trusts, over this very digest), or correct the policy; verify-mode: audit imports while you look into it'
export const AUDIT_HINT =
  'sign the image as the policy expects, or correct the policy, before verify-mode: enforce refuses it'

/** The plan with the gate's decision: what verified it, or enforce's failure, or audit's warning. */
function applyDecision(
  plan: PlannedImport,
  mode: 'enforce' | 'audit',
  decision: GateDecision
): PlannedImport {
  if (decision.verified) {
    plan.log.info(
      `Signature verified by ${decision.policy}: ${KIND_WORDS[decision.kind]} signature ` +
        `${shortDigest(decision.digest)}, signed by ${decision.signer}`
    )
    return { ...plan, signature: decision }
  }
  const { reason } = decision
  const hint = decision.hint ?? (mode === 'audit' ? AUDIT_HINT : REFUSED_HINT)
  if (mode === 'audit') {
    plan.log.warning(
      new UserError(`Signature not verified (verify-mode: audit, not enforced): ${reason}`, hint).format()
    )
    return { ...plan, signature: { verified: false, mode, reason } }
  }
  const error = new UserError(`Signature not verified: ${reason}`, hint).format()
  return { ...plan, decision: { kind: 'fail', error }, signature: { verified: false, mode, reason } }
}
