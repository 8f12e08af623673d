import { describe, expect, it } from 'vitest';
import { incomingText, parseCommand, TelegramUpdateSchema } from './update.ts';

describe('parseCommand', () => {
  it.each([
    ['/pause', { name: 'pause', args: '' }],
    ['  /STATUS  ', { name: 'status', args: '' }],
    ['/start abc_DEF-123', { name: 'start', args: 'abc_DEF-123' }],
    ['/pnl@polybot_bot', { name: 'pnl', args: '' }],
    ['/pnl@PolyBot_Bot today', { name: 'pnl', args: 'today' }],
  ])('reads %j', (text, command) => {
    expect(parseCommand(text, 'polybot_bot')).toEqual(command);
  });

  it.each(['pause', 'hello /pause', '/pause@another_bot', '/', '/päuse'])('%j is no command of ours', (text) => {
    expect(parseCommand(text, 'polybot_bot')).toBeNull();
  });
});

describe('TelegramUpdateSchema and incomingText', () => {
  const update = (message: Record<string, unknown>) => ({
    update_id: 12,
    message: {
      message_id: 3,
      date: 1_700_000_000,
      chat: { id: 42, type: 'private' },
      from: { id: 42, is_bot: false, username: 'ada' },
      ...message,
    },
  });

  it('takes a private text message, with the fields Telegram adds left alone', () => {
    const parsed = TelegramUpdateSchema.parse({ ...update({ text: '/status', entities: [] }), extra: 1 });
    expect(incomingText(parsed)).toEqual({ chatId: '42', privateChat: true, username: 'ada', text: '/status' });
    expect(
      incomingText(TelegramUpdateSchema.parse(update({ text: 'x', chat: { id: -100, type: 'group' } }))),
    ).toMatchObject({
      chatId: '-100',
      privateChat: false,
    });
  });

  it('answers nothing without text or from a bot, and refuses what is no update', () => {
    expect(incomingText(TelegramUpdateSchema.parse(update({})))).toBeNull();
    expect(incomingText(TelegramUpdateSchema.parse({ update_id: 1, edited_message: {} }))).toBeNull();
    expect(incomingText(TelegramUpdateSchema.parse(update({ text: 'hi', from: { id: 1, is_bot: true } })))).toBeNull();
    for (const bad of [
      null,
      {},
      { update_id: 'x' },
      { update_id: -1 },
      update({ chat: { id: 'x', type: 'private' } }),
      update({ text: 'x'.repeat(4097) }),
    ])
      expect(TelegramUpdateSchema.safeParse(bad).success).toBe(false);
  });
});
