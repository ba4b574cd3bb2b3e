import { describe, expect, it } from 'vitest';
import { escapeLike, folderPrefix, listQuery, listSchema } from '../../stack/storage/list.ts';

describe('folderPrefix', () => {
  it.each([
    ['', ''],
    ['docs', 'docs/'],
    ['docs/', 'docs/'],
    ['a/b', 'a/b/']
  ])('turns %j into %j', (prefix, expected) => {
    expect(folderPrefix(prefix)).toBe(expected);
  });
});

describe('escapeLike', () => {
  it('escapes the LIKE wildcards and the escape character', () => {
    expect(escapeLike('50%_off\\now')).toBe('50\\%\\_off\\\\now');
  });
});

describe('listSchema', () => {
  it('fills the defaults storage-js relies on', () => {
    expect(listSchema.parse({})).toEqual({
      prefix: '',
      limit: 100,
      offset: 0,
      sortBy: { column: 'name', order: 'asc' },
      search: ''
    });
  });

  it('accepts an upper-case order', () => {
    expect(listSchema.parse({ sortBy: { column: 'created_at', order: 'DESC' } }).sortBy).toEqual({
      column: 'created_at',
      order: 'desc'
    });
  });

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ offset: -1 }, 'offset'],
    [{ sortBy: { column: 'owner' } }, 'sortBy.column'],
    [{ prefix: 'a\u0000' }, 'prefix']
  ])('rejects %j at %s', (body, field) => {
    const result = listSchema.safeParse(body);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path.join('.')).toBe(field);
  });
});

describe('listQuery', () => {
  it('matches the folder and search case-insensitively with wildcards escaped', () => {
    const query = listQuery('docs', listSchema.parse({ prefix: 'User_1', search: '50%' }));

    expect(query.values).toEqual(['docs', 'user\\_1/50\\%%', 7, 100, 0]);
  });

  it('counts the prefix length in code points', () => {
    const query = listQuery('docs', listSchema.parse({ prefix: '📁' }));

    expect(query.values[2]).toBe(2);
  });

  it('lists folders first when sorting by a date', () => {
    const query = listQuery(
      'docs',
      listSchema.parse({ sortBy: { column: 'updated_at', order: 'desc' } })
    );

    expect(query.text).toContain('order by (id is not null), updated_at desc');
  });
});
