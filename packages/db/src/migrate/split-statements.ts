// Splits a SQL file into top-level statements the way psql and the Supabase CLI see them: semicolons inside
// string literals, quoted identifiers, dollar-quoted bodies and comments do not end a statement.
// We need the statements individually so the history table records them like the CLI does and so a failure can
// name the statement that failed.

export interface SqlStatement {
  text: string;
  /** 1-based line of the statement's first character in the file. */
  line: number;
}

const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

export function splitStatements(sql: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let start = 0;
  let i = 0;
  const n = sql.length;

  const push = (end: number): void => {
    const raw = sql.slice(start, end);
    const text = stripLeadingTrivia(raw).trim();
    if (text.length > 0 && !isOnlyComments(text)) {
      const offset = start + raw.indexOf(text);
      statements.push({ text, line: lineAt(sql, offset) });
    }
  };

  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
    } else if (c === "'") {
      const escapes = i > 0 && /[eE]/.test(sql[i - 1] ?? '') && !/[A-Za-z0-9_]/.test(sql[i - 2] ?? '');
      i = skipQuoted(sql, i, "'", escapes);
    } else if (c === '"') {
      i = skipQuoted(sql, i, '"', false);
    } else if (c === '$' && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
      const m = DOLLAR_TAG.exec(sql.slice(i, i + 64));
      if (m) {
        const tag = m[0];
        const close = sql.indexOf(tag, i + tag.length);
        if (close === -1)
          throw new Error(`unterminated dollar-quoted string ${tag} starting on line ${lineAt(sql, i)}`);
        i = close + tag.length;
      } else {
        i += 1;
      }
    } else if (c === ';') {
      push(i);
      i += 1;
      start = i;
    } else {
      i += 1;
    }
  }
  push(n);
  return statements;
}

function skipBlockComment(sql: string, from: number): number {
  // Postgres block comments nest.
  let depth = 0;
  let i = from;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth += 1;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  throw new Error(`unterminated block comment starting on line ${lineAt(sql, from)}`);
}

function skipQuoted(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i += 1;
    }
  }
  throw new Error(
    `unterminated ${quote === "'" ? 'string literal' : 'quoted identifier'} starting on line ${lineAt(sql, from)}`,
  );
}

function stripLeadingTrivia(s: string): string {
  // Comments before a statement belong to the file, not the statement (the CLI records statements without them).
  let rest = s;
  for (;;) {
    const trimmed = rest.trimStart();
    if (trimmed.startsWith('--')) {
      const eol = trimmed.indexOf('\n');
      rest = eol === -1 ? '' : trimmed.slice(eol + 1);
    } else if (trimmed.startsWith('/*')) {
      rest = trimmed.slice(skipBlockComment(trimmed, 0));
    } else {
      return trimmed;
    }
  }
}

function isOnlyComments(s: string): boolean {
  return stripLeadingTrivia(s).length === 0;
}

function lineAt(sql: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < sql.length; i += 1) if (sql[i] === '\n') line += 1;
  return line;
}
