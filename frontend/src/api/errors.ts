/**
 * Every failure the UI shows is an AppError: what happened (message), what
 * to do about it (hint), a code to switch on, and the form field at fault.
 *
 * Rejected binding calls carry the backend's {code, message, hint?, field?}
 * payload, but may also be a plain string or a thrown Error; toAppError is
 * the one place that turns any of them into an AppError.
 */

export const GENERIC_MESSAGE = 'Something went wrong.';

export interface AppErrorFields {
  code: string;
  message: string;
  hint?: string | undefined;
  field?: string | undefined;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: string;
  readonly hint: string | undefined;
  readonly field: string | undefined;

  constructor(fields: AppErrorFields, options?: { cause?: unknown }) {
    super(fields.message.trim() || GENERIC_MESSAGE, options);
    this.code = fields.code.trim() || 'internal';
    this.hint = nonEmpty(fields.hint);
    this.field = nonEmpty(fields.field);
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function fromPayload(payload: Record<string, unknown>, cause: unknown): AppError | undefined {
  const message = nonEmpty(payload.message);
  if (message === undefined) {
    return undefined;
  }
  return new AppError(
    {
      code: nonEmpty(payload.code) ?? 'internal',
      message,
      hint: nonEmpty(payload.hint),
      field: nonEmpty(payload.field),
    },
    { cause },
  );
}

function fromString(text: string): AppError {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (isRecord(parsed)) {
        const err = fromPayload(parsed, text);
        if (err) {
          return err;
        }
      }
    } catch {
      // Not JSON: use the text as it is.
    }
  }
  return new AppError({ code: 'internal', message: trimmed });
}

/** Turns anything a failed call can throw or reject with into an AppError. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) {
    return err;
  }
  if (typeof err === 'string') {
    return fromString(err);
  }
  if (err instanceof Error) {
    return new AppError({ code: 'internal', message: err.message }, { cause: err });
  }
  if (isRecord(err)) {
    const fromObject = fromPayload(err, err);
    if (fromObject) {
      return fromObject;
    }
  }
  return new AppError({ code: 'internal', message: GENERIC_MESSAGE }, { cause: err });
}
