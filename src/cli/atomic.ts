// Files are written whole or not at all: a temp file in the same folder, then a rename. A write that fails
// (a full disk, no permission) removes its temp file and says which file could not be written, and why.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { RunError } from '../errors.js';

/** The file-system calls used, replaceable in tests (e.g. to simulate a disk that fills up part-way). */
export interface AtomicFs {
  mkdirSync: typeof mkdirSync;
  writeFileSync: typeof writeFileSync;
  renameSync: typeof renameSync;
  rmSync: typeof rmSync;
}

const REAL_FS: AtomicFs = { mkdirSync, writeFileSync, renameSync, rmSync };

/** Throws a RunError "could not write PATH: why" (exit 3 unless the caller decides otherwise). */
export function writeFileAtomic(path: string, content: string, fs: Partial<AtomicFs> = {}): void {
  const io = { ...REAL_FS, ...fs };
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    makeFolders(dirname(path), io);
    io.writeFileSync(tmp, content);
    io.renameSync(tmp, path);
  } catch (err) {
    try {
      io.rmSync(tmp, { force: true });
    } catch {
      // nothing more can be done; the message below still names the file
    }
    throw new RunError(`could not write ${path}: ${describeFsError(err)}`);
  }
}

/**
 * The folder and its missing parents, one level at a time from the first that exists: a bounded walk.
 * Not `mkdirSync(dir, { recursive: true })`, which loops forever where mkdir fails with ENOENT under an
 * existing parent (/proc/<missing>/…); here that mkdir's error is the error.
 */
export function makeFolders(dir: string, io: Pick<AtomicFs, 'mkdirSync'> = REAL_FS): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      io.mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !existsSync(d)) throw err; // made meanwhile: fine
    }
  }
}

/** "no space left on device (ENOSPC)" rather than Node's "ENOSPC: no space left on device, write". */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is not a folder',
    EEXIST: 'a part of the path is a file, not a folder',
    EISDIR: 'it is a folder',
    ENOENT: 'a folder on the path does not exist and cannot be created here',
  };
  if (e?.code && known[e.code]) return `${known[e.code]} (${e.code})`;
  return e?.message ?? String(err);
}
