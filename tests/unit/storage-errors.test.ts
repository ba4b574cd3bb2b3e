import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { errors, fromDatabaseError } from '../../stack/storage/errors.ts';

function databaseError(code: string, message: string, constraint?: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  error.constraint = constraint;
  return error;
}

describe('StorageError', () => {
  it('sends client errors as HTTP 400 with the real status in the body', () => {
    const error = errors.objectNotFound();

    expect(error.httpStatus).toBe(400);
    expect(error.toBody()).toEqual({
      statusCode: '404',
      code: 'NoSuchKey',
      error: 'not_found',
      message: 'Object not found'
    });
  });

  it('keeps server faults at HTTP 500', () => {
    expect(errors.internal().httpStatus).toBe(500);
  });
});

describe('fromDatabaseError', () => {
  it('maps a row-level security rejection to 403', () => {
    const mapped = fromDatabaseError(
      databaseError('42501', 'new row violates row-level security policy for table "objects"')
    );

    expect(mapped?.toBody()).toEqual({
      statusCode: '403',
      code: 'AccessDenied',
      error: 'Unauthorized',
      message: 'new row violates row-level security policy'
    });
  });

  it('maps a taken object name to 409 Duplicate', () => {
    const mapped = fromDatabaseError(databaseError('23505', 'duplicate key', 'bucketid_objname'));

    expect(mapped?.code).toBe('KeyAlreadyExists');
    expect(mapped?.status).toBe(409);
  });

  it('maps a taken bucket id to 409 Duplicate', () => {
    const mapped = fromDatabaseError(databaseError('23505', 'duplicate key', 'buckets_pkey'));

    expect(mapped?.code).toBe('BucketAlreadyExists');
  });

  it('leaves other database errors to the caller', () => {
    expect(fromDatabaseError(databaseError('57014', 'canceling statement'))).toBeNull();
    expect(fromDatabaseError(new Error('not from Postgres'))).toBeNull();
  });
});
