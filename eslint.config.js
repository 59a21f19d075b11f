import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  // The core is platform-free, and its imports run one way, down (ARCHITECTURE.md, "The house in words"):
  // the ground floor imports nothing above it, infrastructure no stage, a stage no later stage.
  ...coreFloors()
)

function coreFloors() {
  const platform = [
    '@actions/*',
    'azure-pipelines-task-lib',
    'azure-pipelines-task-lib/*',
    '../action/*',
    '../task/*',
    '../cli/*'
  ]
  const top = ['../step/*', '../pipeline.js', '../index.js']
  const infrastructure = [
    'errors',
    'network',
    'reference',
    'cloud',
    'credential',
    'arm',
    'registry',
    'sdk-logging'
  ]
  const stages = [
    'request',
    'entries',
    'resolve',
    'expand',
    'plan',
    'verify',
    'referrers',
    'lock',
    'signatures',
    'execute',
    'results'
  ]
  const folders = (names) => names.map((name) => `../${name}/*`)
  const rule = (files, forbidden, message) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...platform, ...forbidden], message }] }]
    }
  })
  return [
    rule(['src/core/**/*.ts'], [], 'the core never imports a host or a platform library'),
    rule(['src/core/util/*.ts'], ['../*'], 'util/ is the ground floor: it imports nothing of ours'),
    rule(['src/core/log/*.ts'], ['../*', '!../util/*'], 'log/ is the ground floor: it may import only util/'),
    ...infrastructure.map((name, i) =>
      rule(
        [`src/core/${name}/*.ts`],
        [...top, ...folders(stages), ...folders(infrastructure.slice(i + 1))],
        `infrastructure imports only the ground floor and the infrastructure below it (${infrastructure.slice(0, i).join(', ') || 'none'})`
      )
    ),
    ...stages.map((name, i) =>
      rule(
        [`src/core/${name}/*.ts`],
        [...top, ...folders(stages.slice(i + 1))],
        `a stage imports only earlier stages (${stages.slice(0, i).join(', ') || 'none'}), infrastructure and the ground floor`
      )
    )
  ]
}
