/**
 * The one error type every format parser throws for bad input: it names the file and where the
 * problem is (header line, byte offset), so callers can tell bad data from bugs.
 */

/** Where in a file a problem was found. */
export interface FormatLocation {
  /** 1-based line number (header lines, ascii rows). */
  line?: number;
  /** 0-based byte offset from the start of the file. */
  offset?: number;
}

/** A malformed or unsupported point-cloud file; `message` reads "<file>: <where>: <what>". */
export class FormatError extends Error {
  override name = 'FormatError';
  /** The file name given to the parser ('<buffer>' when none). */
  readonly file: string;
  /** 1-based line number, when the problem is on a text line. */
  readonly line?: number;
  /** 0-based byte offset, when the problem is in binary data. */
  readonly offset?: number;

  constructor(file: string, message: string, where: FormatLocation = {}) {
    const parts = [file];
    if (where.line !== undefined) parts.push(`line ${where.line}`);
    if (where.offset !== undefined) parts.push(`byte ${where.offset}`);
    super(`${parts.join(': ')}: ${message}`);
    this.file = file;
    if (where.line !== undefined) this.line = where.line;
    if (where.offset !== undefined) this.offset = where.offset;
  }
}

/** Default file label when a parser is given a bare buffer. */
export const NO_FILE = '<buffer>';
