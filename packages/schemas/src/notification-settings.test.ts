import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  NotificationChannelInputSchema,
  NotificationSettingsSchema,
  WEBHOOK_SECRET_PATTERN,
} from './notification-settings.ts';

describe('NotificationChannelInputSchema', () => {
  it('accepts each kind’s target and refuses another kind’s', () => {
    expect(NotificationChannelInputSchema.parse({ kind: 'email', target: ' Me@Example.test ' })).toEqual({
      kind: 'email',
      target: 'Me@Example.test',
      label: null,
    });
    expect(NotificationChannelInputSchema.safeParse({ kind: 'webhook', target: 'https://h.test/x' }).success).toBe(
      true,
    );
    expect(NotificationChannelInputSchema.safeParse({ kind: 'webhook', target: 'http://h.test/x' }).success).toBe(
      false,
    );
    expect(NotificationChannelInputSchema.safeParse({ kind: 'email', target: 'https://h.test/x' }).success).toBe(false);
    expect(NotificationChannelInputSchema.safeParse({ kind: 'telegram', target: '12345' }).success).toBe(false);
  });
});

describe('NotificationSettingsSchema', () => {
  it('accepts the defaults and quiet hours across midnight', () => {
    expect(NotificationSettingsSchema.parse(DEFAULT_NOTIFICATION_SETTINGS)).toEqual(DEFAULT_NOTIFICATION_SETTINGS);
    const night = { ...DEFAULT_NOTIFICATION_SETTINGS, quiet_start: 22, quiet_end: 7 };
    expect(NotificationSettingsSchema.parse(night)).toEqual(night);
  });

  it('refuses half quiet hours, empty quiet hours, hours out of range and unknown kinds', () => {
    const bad = [
      { ...DEFAULT_NOTIFICATION_SETTINGS, quiet_start: 22 },
      { ...DEFAULT_NOTIFICATION_SETTINGS, quiet_start: 5, quiet_end: 5 },
      { ...DEFAULT_NOTIFICATION_SETTINGS, summary_hour: 24 },
      { ...DEFAULT_NOTIFICATION_SETTINGS, routes: { not_a_kind: [] } },
    ];
    for (const settings of bad) expect(NotificationSettingsSchema.safeParse(settings).success).toBe(false);
  });
});

it('WEBHOOK_SECRET_PATTERN is whsec_ and base64 of 24 bytes', () => {
  expect(WEBHOOK_SECRET_PATTERN.test(`whsec_${Buffer.alloc(24, 7).toString('base64')}`)).toBe(true);
  expect(WEBHOOK_SECRET_PATTERN.test('whsec_short')).toBe(false);
});
