import { describe, expect, it } from 'vitest';
import { attachmentDisposition, parseRange } from '../../stack/storage/send.ts';

describe('parseRange', () => {
  it.each([
    [undefined, null],
    ['bytes=0-4', { start: 0, end: 4 }],
    ['bytes=5-', { start: 5, end: 10 }],
    ['bytes=-3', { start: 8, end: 10 }],
    ['bytes=-50', { start: 0, end: 10 }],
    ['bytes=3-100', { start: 3, end: 10 }],
    ['bytes=10-10', { start: 10, end: 10 }],
    ['bytes=11-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=4-2', null],
    ['bytes=0-1,3-4', null],
    ['items=0-4', null],
    ['bytes=-', null]
  ])('reads %j for an 11-byte file as %j', (header, expected) => {
    expect(parseRange(header, 11)).toEqual(expected);
  });
});

describe('attachmentDisposition', () => {
  it('gives an ASCII name as is', () => {
    expect(attachmentDisposition('report.pdf')).toBe(
      `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`
    );
  });

  it('replaces quotes and non-ASCII letters in the fallback name', () => {
    expect(attachmentDisposition('Laporan "akhir" é.pdf')).toBe(
      `attachment; filename="Laporan _akhir_ _.pdf"; filename*=UTF-8''Laporan%20%22akhir%22%20%C3%A9.pdf`
    );
  });

  it('cannot break out of the header with a newline', () => {
    expect(attachmentDisposition('a\r\nSet-Cookie: x=1')).toBe(
      `attachment; filename="a__Set-Cookie: x=1"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1`
    );
  });
});
