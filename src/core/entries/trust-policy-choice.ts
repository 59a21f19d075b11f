// What each entry verifies with: its own `verify:` / `verify-mode:`, else the images file's `defaults:`, else the
// step's `trust-policy` file, as every other field of an entry is resolved. The names `verify:` writes are looked
// up here, among the images file's policies and the trust-policy file's, so a name that neither defines is
// refused at the line that writes it, and a policy that nothing chooses is refused at the line that defines it
// (a `trust:` without a `verify:` would otherwise verify nothing, silently).
import { UserError } from '../errors/user-error.js'
import type { EntryVerification, TrustPolicy, VerifyMode } from './trust-policy.js'
import { safeName, type PolicyBook, type VerifyChoice } from './trust-policy-fields.js'
import type { Located } from './yaml-fields.js'

/** What an entry (or `defaults:`) writes about verification; undefined when not written. */
export interface VerifySettings {
  verify?: VerifyChoice
  verifyMode?: Located<VerifyMode>
}

/** The policies `verify:` may name, and the step's default when a `trust-policy` file is given. */
export interface TrustScope {
  /** The images file's policies and the trust-policy file's, by name, each with where it is defined. */
  book: PolicyBook
  /** What the trust-policy file's `verify:` chose, for every entry that does not say otherwise. */
  stepDefault?: EntryVerification
}

/**
 * The one book `verify:` looks names up in: `own` (the images file's `trust:`) and `step` (the trust-policy file's).
 * A name defined in both would be ambiguous.
 */
export function mergeBooks(own: PolicyBook, step: PolicyBook | undefined): PolicyBook {
  if (!step) return own
  for (const [name, defined] of own) {
    const other = step.get(name)
    if (other) {
      throw new UserError(
        `${defined.where}: trust policy '${name}' is also defined in the trust-policy file (${other.where})`,
        'give the policy another name here, or leave it to the trust-policy file'
      )
    }
  }
  return new Map([...step, ...own])
}

/** The policies a `verify:` names, in its order. */
export function chosenPolicies(names: Located<string>[], book: PolicyBook): TrustPolicy[] {
  return names.map((name) => {
    const defined = book.get(name.value)
    if (!defined) {
      const known = [...book.keys()]
      throw new UserError(
        `${name.where}: 'verify' names '${safeName(name.value)}', which trust: does not define`,
        known.length > 0
          ? `the policies are ${known.join(', ')}: correct the name, or define it under trust:`
          : 'define it under trust: in the images file, or give a trust-policy file that defines it'
      )
    }
    return defined.policy
  })
}

/** Builds each entry's verification; the same choice gives the same object, so a verifier can cache by it. */
export class VerificationChooser {
  private readonly made = new Map<VerifyChoice, Map<VerifyMode, EntryVerification>>()

  constructor(
    private readonly scope: TrustScope,
    private readonly defaults: VerifySettings
  ) {
    // A name under defaults: is checked even when every entry says otherwise: it is a mistake all the same.
    if (defaults.verify?.value) chosenPolicies(defaults.verify.value, scope.book)
  }

  /** The entry's verification; undefined when nothing is verified (`verify: false`, or no policy applies). */
  of(own: VerifySettings): EntryVerification | undefined {
    const choice = own.verify ?? this.defaults.verify
    const mode = own.verifyMode ?? this.defaults.verifyMode
    const stepDefault = this.scope.stepDefault
    let chosen: EntryVerification | undefined
    if (!choice) {
      chosen =
        stepDefault &&
        (mode && mode.value !== stepDefault.mode ? { ...stepDefault, mode: mode.value } : stepDefault)
    } else if (choice.value !== false) {
      chosen = this.remembered(choice, choice.value, mode?.value ?? stepDefault?.mode ?? 'enforce')
    }
    if (!chosen && own.verifyMode) {
      throw new UserError(
        `${own.verifyMode.where}: 'verify-mode' is set, but the entry verifies nothing (verify: false, or no policy chosen)`,
        'choose a policy with verify:, or drop verify-mode'
      )
    }
    return chosen
  }

  private remembered(choice: VerifyChoice, names: Located<string>[], mode: VerifyMode): EntryVerification {
    const byMode = this.made.get(choice) ?? new Map<VerifyMode, EntryVerification>()
    this.made.set(choice, byMode)
    const known = byMode.get(mode)
    if (known) return known
    const made = { policies: chosenPolicies(names, this.scope.book), mode }
    byMode.set(mode, made)
    return made
  }
}

/**
 * Every policy of the images file's `trust:` must be chosen by some `verify:` of the file (defaults or an entry):
 * one that nothing chooses is a forgotten `verify:`, and its images would be imported unverified.
 */
export function checkEveryPolicyChosen(book: PolicyBook, choices: (VerifyChoice | undefined)[]): void {
  const chosen = new Set(
    choices.flatMap((choice) => (choice?.value ? choice.value.map((name) => name.value) : []))
  )
  for (const [name, defined] of book) {
    if (!chosen.has(name)) {
      throw new UserError(
        `${defined.where}: trust policy '${name}' is defined, but no verify: chooses it, so it verifies nothing`,
        `choose it with verify: ${name} under defaults: (every image) or on the images it is for, or remove it`
      )
    }
  }
}

/** `verify-mode:` under defaults: that no verified entry takes (each sets its own, or none is verified) is a mistake. */
export function checkDefaultModeUsed(defaults: VerifySettings, taken: boolean): void {
  if (defaults.verifyMode && !taken) {
    throw new UserError(
      `${defaults.verifyMode.where}: 'verify-mode' is set under defaults:, but no verified image takes it`,
      'choose a policy with verify: under defaults: or on the images, or drop verify-mode'
    )
  }
}
