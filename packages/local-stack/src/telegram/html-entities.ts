// Telegram's HTML parse mode is strict: an unknown tag, an unescaped "<" or "&", or an unclosed tag is rejected with
// 400 "can't parse entities". The stand-in checks the same, so a message that is not escaped properly fails locally
// the way it would in production instead of passing silently.
import { badRequest } from './wire.ts';

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
  'span',
  'blockquote',
  'tg-emoji',
]);
const ENTITY = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/;

/** Throws the API's 400 for text Telegram would refuse to parse; returns the text without markup otherwise. */
export function checkHtml(text: string): string {
  const open: string[] = [];
  let plain = '';
  for (let i = 0; i < text.length;) {
    const ch = text[i] as string;
    if (ch === '&') {
      const entity = ENTITY.exec(text.slice(i));
      if (!entity) throw badRequest(`can't parse entities: Unsupported entity at byte offset ${i}`);
      plain += { lt: '<', gt: '>', amp: '&', quot: '"' }[entity[1] as string] ?? '?';
      i += entity[0].length;
    } else if (ch === '<') {
      const tag = /^<(\/?)([a-z-]+)(\s[^<>]*)?>/.exec(text.slice(i));
      if (!tag || !TAGS.has(tag[2] as string)) {
        throw badRequest(`can't parse entities: Unsupported start tag "${tag?.[2] ?? ''}" at byte offset ${i}`);
      }
      if (tag[1]) {
        if (open.pop() !== tag[2]) throw badRequest(`can't parse entities: Unmatched end tag at byte offset ${i}`);
      } else open.push(tag[2] as string);
      i += tag[0].length;
    } else {
      plain += ch;
      i++;
    }
  }
  if (open.length)
    throw badRequest(`can't parse entities: Can't find end tag corresponding to start tag "${open.pop()}"`);
  return plain;
}
