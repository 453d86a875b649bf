// Node's filesystem errors in the user's words.
import { AppError } from '../ipc/errors';

export function fsError(err: unknown, target: string): AppError {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return new AppError('NOT_FOUND', `${target} does not exist.`, 'It may have been moved, renamed or deleted.');
    case 'ENOTDIR':
      return new AppError('NOT_A_DIRECTORY', `${target} is not a folder.`);
    case 'EACCES':
    case 'EPERM':
      return new AppError('PERMISSION_DENIED', `You do not have permission to read ${target}.`, 'Check the folder permissions, or pick another folder.');
    case 'ELOOP':
      return new AppError('NOT_FOUND', `${target} is a symbolic link that points to itself.`);
    default:
      return new AppError('INTERNAL', `Could not read ${target}: ${(err as Error)?.message ?? String(err)}`);
  }
}
