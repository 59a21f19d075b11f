// The action as a host of the shared scenarios: dist/action/index.js run as the GitHub runner starts it
// (run-action.ts), signed in with GitHub OIDC for the main branch, importing into prodacr; what it printed read
// back from its workflow commands, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
import { commandLines, runAction, showsStackTrace, type ActionRun } from '../action/run-action.js'
import type { Testbed } from '../testbed/types.js'
import { APPS, SUB_PROD, TENANT_A } from '../testbed/world.js'
import type { Host, HostRun, Step } from './host.js'

export const MAIN_BRANCH_SUBJECT = 'repo:contoso/app:ref:refs/heads/main'

/** The sign-in inputs of a job federated with the GitHub app (OIDC), importing into prodacr. */
export const OIDC_INPUTS = {
  registry: 'prodacr',
  'client-id': APPS.github.appId,
  'tenant-id': TENANT_A,
  'subscription-id': SUB_PROD
}

/** The import-reader app federates with jobs of the staging environment (world.ts). */
const IMPORT_READER = {
  inputs: { 'client-id': APPS.importReader.appId },
  subject: 'repo:contoso/app:environment:staging'
}

export function actionHost(): Host {
  return {
    platform: 'action',
    id: 'gh',
    title: 'the action on node24',
    async run(testbed: Testbed, step: Step, workspace?: string): Promise<HostRun> {
      const reader = step.signIn === 'import-reader' ? IMPORT_READER : undefined
      const oidc = testbed.githubOidc(reader?.subject ?? MAIN_BRANCH_SUBJECT)
      const run = await runAction({
        inputs: { ...OIDC_INPUTS, ...reader?.inputs, ...step.inputs },
        env: {
          ...testbed.env,
          ...oidc,
          ...(workspace ? { GITHUB_WORKSPACE: workspace } : {}),
          ...step.env
        },
        debug: step.debug,
        timeoutMs: step.timeoutMs
      })
      return observed(run, [oidc.ACTIONS_ID_TOKEN_REQUEST_TOKEN, step.inputs.password])
    },
    tokenEndpoint: (testbed) => ({
      hostname: new URL(testbed.githubOidc(MAIN_BRANCH_SUBJECT).ACTIONS_ID_TOKEN_REQUEST_URL).hostname,
      path: '/idtoken'
    })
  }
}

function observed(run: ActionRun, ownSecrets: (string | undefined)[]): HostRun {
  const unmasked = run.stdout.split(/\r?\n/).filter((line) => !line.startsWith('::add-mask::'))
  return {
    succeeded: run.exitCode === 0,
    failed: run.exitCode === 1,
    outputs: run.outputs,
    summary: run.summary,
    errors: run.errors,
    warnings: commandLines(run.stdout, 'warning'),
    debug: commandLines(run.stdout, 'debug'),
    masked: commandLines(run.stdout, 'add-mask'),
    ownSecrets: ownSecrets.filter((secret): secret is string => !!secret),
    log: run.stdout,
    stderr: run.stderr,
    shown: [unmasked.join('\n'), run.stderr, JSON.stringify(run.outputs), run.summary].join('\n'),
    showsStackTrace: showsStackTrace(run)
  }
}
