// Credentials named in the images file are read from the environment: the file names the variables, the step
// maps secrets into them (GitHub `env:`, Azure Pipelines `env:`). A variable that is not set is refused here,
// before any request, rather than sending an empty password that the registry would answer with a puzzling 401.
import { UserError } from '../errors/user-error.js'
import type { SourceCredentials } from '../request/step-request.js'
import type { CredentialNames } from './images-file.js'
import type { Located } from './yaml-fields.js'

export type Environment = Record<string, string | undefined>

/**
 * The credentials, and the values read from the environment, to register as secrets before anything is printed:
 * the password, and a username read through username-env too (a variable is as secret as the step made it).
 */
export function credentialsFromEnvironment(
  names: CredentialNames,
  env: Environment
): { credentials: SourceCredentials; secrets: string[] } {
  const password = variable(names.passwordEnv, 'password-env', env)
  if (!names.usernameEnv) return { credentials: { username: names.username, password }, secrets: [password] }
  const username = variable(names.usernameEnv, 'username-env', env)
  return { credentials: { username, password }, secrets: [password, username] }
}

function variable(name: Located<string>, field: string, env: Environment): string {
  const value = env[name.value]?.trim()
  if (value) return value
  const shown = showable(name.value) ? name.value : undefined
  throw new UserError(
    `${name.where}: the environment variable ${shown ? `${shown} (${field})` : `named in ${field}`} is not set`,
    `map a secret to it in the step's env:, e.g. ${shown ?? 'NAME'}: \${{ secrets.NAME }} on GitHub, ${shown ?? 'NAME'}: $(NAME) in Azure Pipelines`
  )
}

/** A name in capitals, digits and _ is shown; anything else might be the secret itself, written in the wrong place. */
function showable(name: string): boolean {
  return /^[A-Z_][A-Z0-9_]{0,63}$/.test(name)
}
