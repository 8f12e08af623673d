// Users moved by a membership change: the difference between two converged assignments (user → manager).

export interface Move {
  userId: string;
  from: string | undefined;
  to: string | undefined;
}

export function movesBetween(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Move[] {
  const out: Move[] = [];
  for (const u of new Set([...before.keys(), ...after.keys()])) {
    const from = before.get(u);
    const to = after.get(u);
    if (from !== to) out.push({ userId: u, from, to });
  }
  return out;
}

/** Users per manager in an assignment. */
export function loadOf(assignment: ReadonlyMap<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of assignment.values()) out[m] = (out[m] ?? 0) + 1;
  return out;
}

/** The users `manager` runs in an assignment. */
export function usersOf(assignment: ReadonlyMap<string, string>, manager: string): string[] {
  return [...assignment].filter(([, m]) => m === manager).map(([u]) => u);
}
