import type { IssueSink } from './issue-sink.js';

/** Where JSON text stops being valid, and why. */
export interface JsonSyntaxProblem {
  line: number;
  column: number;
  reason: string;
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; problem: JsonSyntaxProblem };

class SyntaxProblem extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function show(char: string | undefined): string {
  return char === undefined ? 'the end of the file' : JSON.stringify(char);
}

/**
 * A JSON syntax checker that only exists to locate the first error: Node 20's `JSON.parse` often says
 * `Unexpected token` without a position, and a user editing a config file needs the line and column.
 */
class Scanner {
  private at = 0;

  constructor(private readonly text: string) {}

  check(): void {
    this.value();
    this.space();
    if (this.at < this.text.length) this.fail(`unexpected ${show(this.text[this.at])} after the end of the JSON value`);
  }

  private fail(reason: string, offset = this.at): never {
    throw new SyntaxProblem(offset, reason);
  }

  private space(): void {
    while (/[ \t\n\r]/.test(this.text[this.at] ?? '')) this.at++;
  }

  private value(): void {
    this.space();
    const char = this.text[this.at];
    if (char === '{') this.object();
    else if (char === '[') this.array();
    else if (char === '"') this.string();
    else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) this.number();
    else this.literal(char);
  }

  private literal(char: string | undefined): void {
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return;
      }
    }
    if (char === '/') this.fail('comments are not allowed in JSON');
    if (char === "'") this.fail('strings must use double quotes in JSON');
    this.fail(char === undefined ? 'unexpected end of the file; expected a value' : `unexpected ${show(char)}`);
  }

  private object(): void {
    this.at++;
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return;
    }
    for (;;) {
      this.space();
      const char = this.text[this.at];
      if (char !== '"') {
        const trailing = char === '}' ? ' (JSON allows no trailing comma)' : '';
        this.fail(`expected a property name in double quotes, got ${show(char)}${trailing}`);
      }
      this.string();
      this.space();
      if (this.text[this.at] !== ':')
        this.fail(`expected ":" after the property name, got ${show(this.text[this.at])}`);
      this.at++;
      this.value();
      this.space();
      const next = this.text[this.at];
      this.at++;
      if (next === '}') return;
      if (next !== ',') this.fail(`expected "," or "}" after a property value, got ${show(next)}`, this.at - 1);
    }
  }

  private array(): void {
    this.at++;
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return;
    }
    for (;;) {
      this.space();
      if (this.text[this.at] === ']') this.fail('expected a value, got "]" (JSON allows no trailing comma)');
      this.value();
      this.space();
      const next = this.text[this.at];
      this.at++;
      if (next === ']') return;
      if (next !== ',') this.fail(`expected "," or "]" after a list item, got ${show(next)}`, this.at - 1);
    }
  }

  private string(): void {
    this.at++;
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined) this.fail('unterminated string');
      if (char === '"') {
        this.at++;
        return;
      }
      if (char < ' ') this.fail('control characters (such as a line break) must be escaped inside a string');
      if (char === '\\') {
        const escaped = this.text[this.at + 1];
        if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6))) this.at += 4;
        else if (escaped === undefined || !'"\\/bfnrt'.includes(escaped))
          this.fail(`invalid escape "\\${escaped ?? ''}"`);
        this.at++;
      }
      this.at++;
    }
  }

  private number(): void {
    const number = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    number.lastIndex = this.at;
    const match = number.exec(this.text);
    if (!match) this.fail('invalid number');
    this.at += match[0].length;
  }
}

function locate(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** The offset and reason of the first syntax error in `text`, or `undefined` when it is valid JSON. */
export function findJsonSyntaxError(text: string): { offset: number; reason: string } | undefined {
  try {
    new Scanner(text).check();
    return undefined;
  } catch (problem) {
    if (problem instanceof SyntaxProblem) return { offset: problem.offset, reason: problem.reason };
    // A stack overflow on absurd nesting.
    return { offset: text.length, reason: (problem as Error).message };
  }
}

/** `JSON.parse` with a located, readable error. A leading byte-order mark (Windows editors) is ignored. */
export function parseJson(source: string): JsonParseResult {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const found = findJsonSyntaxError(text) ?? { offset: text.length, reason: (error as Error).message };
    return { ok: false, problem: { ...locate(text, found.offset), reason: found.reason } };
  }
}

/**
 * Parses a file's text, reporting a syntax error to `sink` (at the path `''`) with its line and column; `undefined`
 * when it is not JSON.
 */
export function readJsonText(text: string, sink: IssueSink): { value: unknown } | undefined {
  const parsed = parseJson(text);
  if (parsed.ok) return { value: parsed.value };
  const { line, column, reason } = parsed.problem;
  sink.report('', `invalid JSON at line ${line}, column ${column}: ${reason}`);
  return undefined;
}
