import { describe, expect, it } from 'vitest';
import { applyMention, findMentionToken } from './mention';

const plain = { withDomain: false };
const domain = { withDomain: true };

/** The token found with the caret where "|" is. */
function at(marked: string, options = plain) {
  const caret = marked.indexOf('|');
  return findMentionToken(marked.replace('|', ''), caret, options);
}

describe('findMentionToken', () => {
  it('finds an @ followed by at least two handle characters at the caret', () => {
    expect(at('Thanks @al|')).toEqual({ start: 7, end: 10, query: 'al' });
    expect(at('@alice.bsky.soc|')).toEqual({ start: 0, end: 15, query: 'alice.bsky.soc' });
    expect(at('hi (@jo_x-y|')).toEqual({ start: 4, end: 11, query: 'jo_x-y' });
    expect(at('line\n@zoë|')).toEqual({ start: 5, end: 9, query: 'zoë' });
  });

  it('asks nothing for fewer than two characters, a lone @ or no @', () => {
    expect(at('@a|')).toBeUndefined();
    expect(at('@|')).toBeUndefined();
    expect(at('hello|')).toBeUndefined();
    expect(at('@alice |')).toBeUndefined();
  });

  it('ignores an @ inside a word, such as an email address', () => {
    expect(at('mail me@example.com|')).toBeUndefined();
    expect(at('mail me@ex|', domain)).toBeUndefined();
  });

  it('takes a Mastodon @server part only where handles have one', () => {
    expect(at('@alice@exam|', domain)).toEqual({ start: 0, end: 11, query: 'alice@exam' });
    expect(at('@alice@|', domain)).toEqual({ start: 0, end: 7, query: 'alice' });
    expect(at('@alice@exam|')).toBeUndefined();
    expect(at('@a@example.social|', domain)).toBeUndefined();
  });

  it('includes the rest of the word after the caret', () => {
    expect(at('Hi @al|ice, welcome')).toEqual({ start: 3, end: 9, query: 'alice' });
    expect(at('Hi @al|ice@m.example!', domain)).toEqual({ start: 3, end: 19, query: 'alice@m.example' });
  });

  it('drops a trailing dot from the query', () => {
    expect(at('Thanks @alice.|')).toEqual({ start: 7, end: 14, query: 'alice' });
  });
});

describe('applyMention', () => {
  it('replaces the typed part with the mention and a space, the caret after it', () => {
    const token = at('Thanks @al| for this')!;
    expect(applyMention('Thanks @al for this', token, '@alice@example.social')).toEqual({
      text: 'Thanks @alice@example.social for this',
      caret: 'Thanks @alice@example.social '.length,
    });
  });

  it('adds a space at the end of the text', () => {
    const token = at('@jo|')!;
    expect(applyMention('@jo', token, '@jo.bsky.social')).toEqual({ text: '@jo.bsky.social ', caret: 16 });
  });

  it('replaces the whole word the caret is in', () => {
    const token = at('Hi @al|ice!')!;
    expect(applyMention('Hi @alice!', token, '@alice')).toEqual({ text: 'Hi @alice !', caret: 10 });
  });
});
