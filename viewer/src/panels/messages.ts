/**
 * Messages to the user: each one is kept (the browser tests read the list), logged to the console
 * and shown in #messages, for 10 s or, for load failures, until clicked away.
 */
import { flashMessage, stickyMessage } from './hud.js';

export class Messages {
  /** Every message shown so far, oldest first. */
  readonly shown: string[] = [];

  /** Shows `msg`; `sticky` ones stay until clicked away. */
  warn(msg: string, sticky = false): void {
    this.shown.push(msg);
    console.warn(`pointcontrast: ${msg}`);
    (sticky ? stickyMessage : flashMessage)(document.getElementById('messages'), msg);
  }
}
