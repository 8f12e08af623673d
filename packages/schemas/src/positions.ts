// What counts as an open position, for everyone who counts them: the runner's risk engine (max open positions), the
// manager's restart read (packages/db readRiskStart) and the dashboard. A position is open while its status is
// 'open' AND it holds something: polybot_positions.size is numeric(18, 6), so a size that rounds to 0 there is nothing
// held, whatever float dust the runner's own arithmetic leaves behind.

/** Half the column's last digit: a float at or below it is stored as 0. */
export const POSITION_DUST = 5e-7;

/** An instrument holding of this size is an open position. */
export function holdsPosition(size: number): boolean {
  return size > POSITION_DUST;
}
