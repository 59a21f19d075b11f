// Bundles the three entry points with ncc into dist/action, dist/task and dist/cli (the npm bin), from a clean
// folder each time so that no stale chunk survives. dist/ is committed; CI rebuilds it and fails when it differs.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'

const entries = [
  ['src/action/index.ts', 'dist/action'],
  ['src/task/index.ts', 'dist/task'],
  ['src/cli/index.ts', 'dist/cli']
]
for (const [entry, out] of entries) {
  rmSync(out, { recursive: true, force: true })
  execFileSync(
    process.execPath,
    [
      'node_modules/@vercel/ncc/dist/ncc/cli.js',
      'build',
      entry,
      '-o',
      out,
      '--license',
      'licenses.txt',
      '-q'
    ],
    { stdio: 'inherit' }
  )
}
