// Makes sure the machine has what the test bed needs beyond npm packages: the CNCF distribution server
// (Debian package docker-registry), and for the benchmark skopeo, the peer it is measured against. Runs before
// the tests, once, so parallel test workers never race apt. Arguments: the Debian packages (default
// docker-registry), each named by the command it installs.
import { execFileSync, spawnSync } from 'node:child_process'

const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
const missing = (process.argv.length > 2 ? process.argv.slice(2) : ['docker-registry']).filter(
  (tool) => !have(tool)
)

if (missing.length > 0) {
  if (process.getuid?.() !== 0) {
    console.error(
      `${missing.join(', ')} missing: install with \`sudo apt-get install -y ${missing.join(' ')}\` and run again.`
    )
    process.exit(1)
  }
  console.log(`Installing ${missing.join(', ')} with apt-get ...`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env })
}
