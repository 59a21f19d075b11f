// Reads the images file's text, and only when it can be one: a regular file of at most MAX_IMAGES_FILE_BYTES. A
// FIFO would block the step forever and /dev/zero never ends, so the kind and the size are checked on the open
// file itself (fstat, no race with a swap of the path) before one bounded read.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import { UserError } from '../errors/user-error.js'

/** 4 MiB: hundreds of thousands of entries; a larger file is a mistake, and parsing it would cost gigabytes. */
export const MAX_IMAGES_FILE_BYTES = 4 * 1024 * 1024

const PATH_HINT =
  'check images-file (imagesFile in Azure Pipelines): a relative path is read from the workspace (GITHUB_WORKSPACE; System.DefaultWorkingDirectory in Azure Pipelines), so check the repository out first'

/** The file's text without a byte order mark; `name` is how messages show the path. */
export function readImagesText(path: string, name: string): string {
  let fd: number
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not wait for one (Windows has neither: 0).
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (err) {
    throw openProblem(err, name)
  }
  try {
    const stat = fstatSync(fd)
    if (stat.isDirectory())
      throw new UserError(`Images file ${name} is a folder`, 'give the path of the YAML file in it')
    if (!stat.isFile()) {
      throw new UserError(
        `Images file ${name} is not a regular file (a device, pipe or socket)`,
        'give the path of a YAML file in the repository'
      )
    }
    if (stat.size > MAX_IMAGES_FILE_BYTES) {
      throw new UserError(
        `Images file ${name} is ${stat.size} bytes, more than the ${MAX_IMAGES_FILE_BYTES} bytes (4 MiB) an images file may have`,
        'split the images into several files (one step or shard each)'
      )
    }
    // One byte more than allowed: a file that grew after fstat is caught too.
    const buffer = Buffer.alloc(MAX_IMAGES_FILE_BYTES + 1)
    let length = 0
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, null)
    }
    if (length > MAX_IMAGES_FILE_BYTES) {
      throw new UserError(
        `Images file ${name} is more than the ${MAX_IMAGES_FILE_BYTES} bytes (4 MiB) an images file may have`,
        'split the images into several files (one step or shard each)'
      )
    }
    // A byte order mark (Windows editors) is not part of the YAML.
    return buffer.toString('utf8', 0, length).replace(/^\uFEFF/, '')
  } catch (err) {
    if (err instanceof UserError) throw err
    throw openProblem(err, name)
  } finally {
    closeSync(fd)
  }
}

function openProblem(err: unknown, name: string): UserError {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return new UserError(`Images file ${name} does not exist`, PATH_HINT)
  if (code === 'EISDIR')
    return new UserError(`Images file ${name} is a folder`, 'give the path of the YAML file in it')
  return new UserError(
    `Images file ${name} cannot be read (${code ?? 'error'})`,
    'check the path and its permissions'
  )
}
