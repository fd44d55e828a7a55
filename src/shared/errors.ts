// Errors that cross process and webview boundaries as plain data and come back as the same class,
// so callers branch on `code`, never on message text.

export type EngineErrorCode =
  | 'bad-input' // a file, flag or message that is malformed: the message says what and where
  | 'not-found'
  | 'unsupported'
  | 'backend-unavailable'
  | 'diverged' // loss became NaN or infinite
  | 'gpu-fault' // the GPU device was lost or ran out of memory mid-run
  | 'cancelled'
  | 'timeout'
  | 'engine-crashed'
  | 'io' // disk full, read-only folder, permissions
  | 'internal';

export interface SerializedEngineError {
  code: EngineErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class EngineError extends Error {
  override readonly name = 'EngineError';

  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  static is(value: unknown, code?: EngineErrorCode): value is EngineError {
    return value instanceof EngineError && (code === undefined || value.code === code);
  }

  toJSON(): SerializedEngineError {
    return { code: this.code, message: this.message, details: this.details };
  }

  static fromJSON(data: SerializedEngineError): EngineError {
    return new EngineError(data.code, data.message, data.details);
  }

  /** Wraps anything thrown into an EngineError, keeping an EngineError as it is. */
  static from(error: unknown): EngineError {
    if (error instanceof EngineError) return error;
    const fsCode = (error as NodeJS.ErrnoException | undefined)?.code;
    const message = error instanceof Error ? error.message : String(error);
    if (fsCode === 'ENOENT') return new EngineError('not-found', message);
    if (fsCode === 'ENOSPC' || fsCode === 'EROFS' || fsCode === 'EACCES' || fsCode === 'EPERM' || fsCode === 'EDQUOT') {
      return new EngineError('io', message, { errno: fsCode });
    }
    return new EngineError('internal', message);
  }
}

export function badInput(message: string, details?: Record<string, unknown>): EngineError {
  return new EngineError('bad-input', message, details);
}
