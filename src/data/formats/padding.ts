/**
 * What may follow the last record of a binary file: only padding (whitespace or NUL, e.g. the
 * zero page padding PCL leaves after binary_compressed data). Anything else means the declared
 * counts do not match the data.
 */
import { FormatError } from './errors.js';

/** Throws unless bytes[end..] is padding. */
export function checkPadding(bytes: Uint8Array, end: number, file: string, what: string): void {
  for (let i = end; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0 && b !== 10 && b !== 13 && b !== 32 && b !== 9) {
      throw new FormatError(
        file,
        `${bytes.length - end} bytes of extra data after ${what}, which ends at byte ${end} ` +
          `(do the declared counts match the data?)`,
        { offset: i },
      );
    }
  }
}
