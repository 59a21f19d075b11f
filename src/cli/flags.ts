// The command line's flags: the action's inputs under the same names, meanings and defaults (so every README
// example maps one to one), grouped for --help. The secrets the action takes as inputs (client-secret,
// client-certificate, creds, password) come from the environment instead: a flag's value shows in the process
// list and the shell's history. __tests__/cli/flags.test.ts checks this table against action.yml.

export type FlagGroup = 'Images' | 'Import' | 'Source registry' | 'Azure sign-in' | 'Output'

export interface Flag {
  /** The flag without its dashes; for an engine input, its action.yml name. */
  name: string
  group: FlagGroup
  /** A true/false input: `--force` alone is true, `--force false` is false. */
  boolean?: boolean
  /** May be given more than once; the values become the input's lines. */
  repeatable?: boolean
  /** What --help shows for the value. */
  value?: string
  /** The action.yml default (shown by --help and passed on as the action's runner would). */
  default?: string
  /** Azure's standard environment variable that gives the value when the flag is not. */
  env?: string
  description: string
}

export const FLAGS: Flag[] = [
  {
    name: 'registry',
    group: 'Images',
    value: 'acr',
    description: 'target registry: name, login server or resource ID (a target may name another)'
  },
  {
    name: 'source',
    group: 'Images',
    value: 'ref',
    repeatable: true,
    description: 'image to import (repeatable); a line may be SOURCE => TARGET[, TARGET...]'
  },
  {
    name: 'source-registry',
    group: 'Images',
    value: 'acr',
    description: 'source ACR by resource ID, name or login server; source is then repo[:tag|@digest]'
  },
  {
    name: 'image',
    group: 'Images',
    value: 'repo:tag',
    repeatable: true,
    description: "target repo[:tag] (repeatable); default, the source's"
  },
  {
    name: 'repository',
    group: 'Images',
    value: 'repo',
    repeatable: true,
    description: 'untagged target repository (repeatable)'
  },
  {
    name: 'images-file',
    group: 'Images',
    value: 'file',
    description: 'YAML or JSON file of images (see the README)'
  },
  {
    name: 'trust-policy',
    group: 'Images',
    value: 'file',
    description: 'YAML file of trust policies and the verify: every image must pass (see the README)'
  },
  {
    name: 'tags',
    group: 'Images',
    value: 'pattern',
    description: "import the tags that match, e.g. 'semver: >=1.27.0 <1.28.0'"
  },
  { name: 'shard', group: 'Images', value: 'i/n', description: "this job's slice of the images, e.g. 2/4" },
  {
    name: 'force',
    group: 'Import',
    boolean: true,
    default: 'false',
    description: 'overwrite target tags that exist'
  },
  {
    name: 'wait',
    group: 'Import',
    boolean: true,
    default: 'true',
    description: 'wait for each import and verify its digest'
  },
  {
    name: 'timeout',
    group: 'Import',
    value: 'seconds',
    default: '600',
    description: 'seconds one import may take'
  },
  {
    name: 'dry-run',
    group: 'Import',
    boolean: true,
    default: 'false',
    description: 'resolve and check everything, import nothing'
  },
  {
    name: 'concurrency',
    group: 'Import',
    value: 'n',
    default: 'auto',
    description: 'imports at once: auto or 1 to 200'
  },
  {
    name: 'skip-unchanged',
    group: 'Import',
    boolean: true,
    default: 'true',
    description: 'skip an image whose targets already hold its digest'
  },
  {
    name: 'fail-fast',
    group: 'Import',
    boolean: true,
    default: 'false',
    description: 'start no import after one failed (with concurrency auto, the first goes alone as a canary)'
  },
  {
    name: 'referrers',
    group: 'Import',
    boolean: true,
    default: 'true',
    description: 'copy signatures, SBOMs and attestations too'
  },
  {
    name: 'lock',
    group: 'Import',
    boolean: true,
    default: 'false',
    description: 'lock the target tags and digest afterwards'
  },
  { name: 'username', group: 'Source registry', value: 'name', description: 'source registry user name' },
  {
    name: 'password-env',
    group: 'Source registry',
    value: 'variable',
    description: 'environment variable that holds the source registry password'
  },
  {
    name: 'auth',
    group: 'Azure sign-in',
    value: 'mode',
    default: 'auto',
    description: 'auto, oidc, client-secret, client-certificate, managed-identity or azure-cli'
  },
  {
    name: 'client-id',
    group: 'Azure sign-in',
    value: 'guid',
    env: 'AZURE_CLIENT_ID',
    description: 'app or user-assigned managed identity client ID'
  },
  {
    name: 'tenant-id',
    group: 'Azure sign-in',
    value: 'guid',
    env: 'AZURE_TENANT_ID',
    description: 'directory (tenant) ID'
  },
  {
    name: 'subscription-id',
    group: 'Azure sign-in',
    value: 'guid',
    env: 'AZURE_SUBSCRIPTION_ID',
    description: "the target registry's subscription"
  },
  {
    name: 'environment',
    group: 'Azure sign-in',
    value: 'cloud',
    default: 'AzureCloud',
    description: 'AzureCloud, AzureUSGovernment, AzureChinaCloud or AzureStack'
  },
  {
    name: 'arm-endpoint',
    group: 'Azure sign-in',
    value: 'url',
    description: 'ARM endpoint, for Azure Stack Hub'
  },
  {
    name: 'authority-host',
    group: 'Azure sign-in',
    value: 'url',
    description: 'Entra ID or ADFS authority, for Azure Stack Hub'
  },
  { name: 'json', group: 'Output', boolean: true, description: 'print the results array as JSON on stdout' },
  { name: 'summary', group: 'Output', value: 'file', description: 'write the Markdown summary to this file' },
  {
    name: 'debug',
    group: 'Output',
    boolean: true,
    description: 'print debug lines too (secrets stay hidden)'
  }
]

/** Action inputs the command line reads from the environment instead of a flag, and where. */
export const INPUTS_FROM_ENVIRONMENT: Record<string, string> = {
  password: 'the variable --password-env names',
  'client-secret': 'AZURE_CLIENT_SECRET',
  'client-certificate': 'AZURE_CLIENT_CERTIFICATE_PATH (a PEM file)',
  creds: 'AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET, AZURE_SUBSCRIPTION_ID',
  // The token file's issuer chose the audience when it wrote the token.
  audience: 'AZURE_FEDERATED_TOKEN_FILE'
}

/** Flags that only the command line has: how to print, and where the password comes from. */
export const CLI_ONLY_FLAGS = ['password-env', 'json', 'summary', 'debug']
