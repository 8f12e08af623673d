import { describe, expect, it } from 'vitest';
import { splitStatements } from './split-statements.ts';

const texts = (sql: string) => splitStatements(sql).map((s) => s.text);

describe('splitStatements', () => {
  it('splits on top-level semicolons and drops empty statements and comments', () => {
    expect(texts('select 1;\n\n-- a comment\nselect 2;;\n/* block */')).toEqual(['select 1', 'select 2']);
  });

  it('keeps semicolons inside strings, identifiers, E-strings and dollar quotes', () => {
    const sql = [
      "insert into t values ('a;b', 'it''s; fine');",
      'create table "odd;name" (id int);',
      "select E'back\\'slash;';",
      'create function f() returns int language sql as $$ select 1; select 2; $$;',
      'do $body$ begin perform 1; end $body$;',
    ].join('\n');
    expect(texts(sql)).toEqual([
      "insert into t values ('a;b', 'it''s; fine')",
      'create table "odd;name" (id int)',
      "select E'back\\'slash;'",
      'create function f() returns int language sql as $$ select 1; select 2; $$',
      'do $body$ begin perform 1; end $body$',
    ]);
  });

  it('handles nested block comments and comments containing quotes', () => {
    expect(texts("/* outer /* inner; */ still; */ select 1; -- don't; split\nselect 2")).toEqual([
      'select 1',
      'select 2',
    ]);
  });

  it('does not treat $1 parameters or identifiers with $ as dollar quotes', () => {
    expect(texts('select $1; select a$b$c from t;')).toEqual(['select $1', 'select a$b$c from t']);
  });

  it('reports the line each statement starts on', () => {
    expect(splitStatements('-- header\n\nselect 1;\n  select\n 2;').map((s) => s.line)).toEqual([3, 4]);
  });

  it('fails loudly on unterminated quotes', () => {
    expect(() => splitStatements("select 'oops;")).toThrow(/unterminated string literal starting on line 1/);
    expect(() => splitStatements('select $$ never closed')).toThrow(/unterminated dollar-quoted string/);
  });
});
