// The time zones the settings page offers: the IANA names the runtime knows (the database checks the chosen one
// against pg_timezone_names again), UTC first.
export function timeZones(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
}

/** "14:00" for hour 14: hours read the same way everywhere on the page. */
export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}
