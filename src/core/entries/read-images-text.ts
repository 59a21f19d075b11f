// Reads a file the user named (the images file, a trust policy file, a key or certificate a policy names), and
// only when it can be one: a regular file of at most its kind's size. A FIFO would block the step forever and
// /dev/zero never ends, so the kind and the size are checked on the open file itself (fstat, no race with a swap
// of the path) before one bounded read. No message ever quotes the file's content: a wrong path may name a file
// of secrets.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import { UserError } from '../errors/user-error.js'

/** 4 MiB: hundreds of thousands of entries; a larger file is a mistake, and parsing it would cost gigabytes. */
export const MAX_IMAGES_FILE_BYTES = 4 * 1024 * 1024

/** What a file is, for its messages and its limit. */
export interface UserFileKind {
  /** How a message names it before its path: "Images file", "'key' file". */
  label: string
  /** How the size message names it: "an images file". */
  noun: string
  maxBytes: number
  /** The limit in words: "4 MiB". */
  maxInWords: string
  /** What to check when the path does not exist. */
  missingHint: string
  /** What to do when it is too large. */
  tooLargeHint: string
}

export const IMAGES_FILE: UserFileKind = {
  label: 'Images file',
  noun: 'an images file',
  maxBytes: MAX_IMAGES_FILE_BYTES,
  maxInWords: '4 MiB',
  missingHint:
    'check images-file (imagesFile in Azure Pipelines): a relative path is read from the workspace (GITHUB_WORKSPACE; System.DefaultWorkingDirectory in Azure Pipelines), so check the repository out first',
  tooLargeHint: 'split the images into several files (one step or shard each)'
}

/** The images file's text without a byte order mark; `name` is how messages show the path. */
export function readImagesText(path: string, name: string): string {
  return readUserFile(path, name, IMAGES_FILE)
}

/** The text of a regular file of at most `kind.maxBytes`, without a byte order mark. */
export function readUserFile(path: string, name: string, kind: UserFileKind): string {
  let fd: number
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not wait for one (Windows has neither: 0).
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (err) {
    throw openProblem(err, name, kind)
  }
  try {
    const stat = fstatSync(fd)
    if (stat.isDirectory()) throw isAFolder(name, kind)
    if (!stat.isFile()) {
      throw new UserError(
        `${kind.label} ${name} is not a regular file (a device, pipe or socket)`,
        `give the path of a ${fileWord(kind)} in the repository`
      )
    }
    const tooLarge = (size: string) =>
      new UserError(
        `${kind.label} ${name} is ${size} the ${kind.maxBytes} bytes (${kind.maxInWords}) ${kind.noun} may have`,
        kind.tooLargeHint
      )
    if (stat.size > kind.maxBytes) throw tooLarge(`${stat.size} bytes, more than`)
    // One byte more than allowed: a file that grew after fstat is caught too.
    const buffer = Buffer.alloc(kind.maxBytes + 1)
    let length = 0
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, null)
    }
    if (length > kind.maxBytes) throw tooLarge('more than')
    // A byte order mark (Windows editors) is not part of the text.
    return buffer.toString('utf8', 0, length).replace(/^\uFEFF/, '')
  } catch (err) {
    if (err instanceof UserError) throw err
    throw openProblem(err, name, kind)
  } finally {
    closeSync(fd)
  }
}

/** "YAML file" for the images file (as its messages always said), "file" otherwise. */
function fileWord(kind: UserFileKind): string {
  return kind === IMAGES_FILE ? 'YAML file' : 'file'
}

function isAFolder(name: string, kind: UserFileKind): UserError {
  return new UserError(`${kind.label} ${name} is a folder`, `give the path of the ${fileWord(kind)} in it`)
}

function openProblem(err: unknown, name: string, kind: UserFileKind): UserError {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return new UserError(`${kind.label} ${name} does not exist`, kind.missingHint)
  if (code === 'EISDIR') return isAFolder(name, kind)
  return new UserError(
    `${kind.label} ${name} cannot be read (${code ?? 'error'})`,
    'check the path and its permissions'
  )
}
