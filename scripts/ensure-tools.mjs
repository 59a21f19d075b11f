// Makes sure the machine has what the test bed needs beyond npm packages: the CNCF distribution server
// (Debian package docker-registry). Runs before the tests, once, so parallel test workers never race apt.
import { execFileSync, spawnSync } from 'node:child_process'

const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0

if (!have('docker-registry')) {
  if (process.getuid?.() !== 0) {
    console.error(
      'docker-registry is missing: install it with `sudo apt-get install -y docker-registry` and run again.'
    )
    process.exit(1)
  }
  console.log('Installing docker-registry (CNCF distribution) with apt-get ...')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', 'docker-registry'], { stdio: 'inherit', env })
}
