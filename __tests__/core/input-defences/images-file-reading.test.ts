// An images file made to hurt the step (issue 17 D8-D10, D12, D13): a FIFO or /dev/zero, a file of gigabytes, an
// alias bomb, a file of secrets given by mistake, YAML tags. Each is refused at once with one line naming the
// file and the position, never a line of the file's content.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { MAX_IMAGES_FILE_BYTES } from '../../../src/core/entries/read-images-text.js'
import { MAX_ALIASES } from '../../../src/core/entries/yaml-fields.js'
import { build, imagesFiles, refusal } from './defences-helpers.js'

const files = imagesFiles()
const refused = (text: string | Buffer) =>
  refusal(() => build({ imagesFile: files.file(text) })).replaceAll(`${files.dir}/`, '')

describe('reading the images file', () => {
  it('refuses a FIFO at once instead of waiting for a writer (D10)', () => {
    const fifo = join(files.dir, 'images.fifo')
    execFileSync('mkfifo', [fifo])
    expect(refusal(() => build({ imagesFile: fifo }))).toMatch(
      /^Images file .*images\.fifo is not a regular file \(a device, pipe or socket\)\. Give the path of a YAML file/
    )
  })

  it('refuses /dev/zero at once instead of reading it forever (D10)', () => {
    expect(refusal(() => build({ imagesFile: '/dev/zero' }))).toMatch(
      /^Images file \/dev\/zero is not a regular file/
    )
  })

  it('refuses a file over 4 MiB before parsing it (D9)', () => {
    const big = Buffer.alloc(MAX_IMAGES_FILE_BYTES + 1, '#')
    expect(refused(big)).toMatch(
      /^Images file .* is 4194305 bytes, more than the 4194304 bytes \(4 MiB\) an images file may have\. Split/
    )
    // A file of exactly the limit is read (and refused for what it says, not for its size).
    const atLimit = Buffer.alloc(MAX_IMAGES_FILE_BYTES, '#')
    atLimit.write('images: [nginx:1.27]\n')
    expect(build({ imagesFile: files.file(atLimit) }).entries).toHaveLength(1)
  })

  it('refuses more aliases than MAX_ALIASES with one line, and reads many aliases in one walk (D8)', () => {
    const bomb = `x: &a [nginx:1.27]\nimages:\n${'  - *a\n'.repeat(MAX_ALIASES + 1)}`
    expect(refused(bomb)).toMatch(/line \d+: the file has more than 10000 aliases \(\*name\)\. Share values/)
    // 40,000 aliases took 126 s when each was resolved by walking the whole document; MAX_ALIASES now take one
    // walk. Shared credentials on every entry of a fleet are the use: 2,000 entries read as usual.
    const fleet = [
      'images:',
      '  - source: registry.contoso.com/team/app-0:1',
      '    credentials: &contoso { username: ci, password-env: CONTOSO_TOKEN }',
      ...Array.from({ length: 2000 }, (_, i) => [
        `  - source: registry.contoso.com/team/app-${i + 1}:1`,
        '    credentials: *contoso'
      ]).flat()
    ].join('\n')
    const built = build({ imagesFile: files.file(fleet) }, { CONTOSO_TOKEN: 'contoso-token-value' })
    expect(built.entries).toHaveLength(2001)
    expect(built.entries[2000].credentials?.password).toBe('contoso-token-value')
  })

  it('refuses YAML tags with the file, the line and the field (D13)', () => {
    expect(refused('images:\n  - source: !secret docker.io/library/busybox:1.36\n')).toMatch(
      /^images-\d+\.yaml line 2: the YAML tag !secret in 'source' is not allowed\. Write the value itself/
    )
    expect(refused('images:\n  - source: nginx:1.27\n    targets: !!binary aGVsbG8=\n')).toMatch(
      /^images-\d+\.yaml line 3: the YAML tag !!binary in 'targets' is not allowed\./
    )
    expect(refused('images: !!seq\n  - nginx:1.27\n')).toMatch(/line 2: the YAML tag !!seq in 'images'/)
  })

  it('names the position, not the content, of a file that is not an images file (D12)', () => {
    const shadow = 'root:$6$rounds=5000$s3cr3tsalt$hashhashhash:19000:0:99999:7:::\n'
    const secretKey = 'db-password=hunter2 s3cr3t: value\nimages: [nginx]\n'
    const badBlock = 'images:\n  - source: |0\n      s3cr3t-in-a-block-scalar\n'
    for (const text of [shadow, secretKey, badBlock]) {
      const line = refused(text)
      expect(line).toMatch(/^images-\d+\.yaml line \d+: /)
      expect(line).not.toMatch(/s3cr3t|hunter2|hashhash/)
    }
    expect(refused(secretKey)).toMatch(/line 1: unknown field in the file\. The known fields are images/)
    // A field name is still shown: it is how a typo is found.
    expect(refused('image:\n  - nginx\n')).toMatch(/line 1: unknown field 'image' in the file/)
  })
})
