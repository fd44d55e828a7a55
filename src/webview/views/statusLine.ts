// One visible line for what the page wants the user to know: host status notifications and every
// failed request. Errors stay until dismissed or replaced; info fades after a while.

import { el } from '../dom';
import type { Disposables } from '../disposables';

export type StatusLevel = 'info' | 'warn' | 'error';

const INFO_MS = 8_000;

export class StatusLine {
  readonly element: HTMLElement;
  private readonly message: HTMLElement;
  private readonly dismiss: HTMLButtonElement;
  private hideTimer: (() => void) | undefined;

  constructor(private readonly owner: Disposables) {
    this.message = el('span', { class: 'status-message' });
    this.dismiss = el('button', { class: 'status-dismiss', text: '×', title: 'Dismiss', attrs: { type: 'button', 'aria-label': 'Dismiss message' } });
    this.element = el('div', { class: 'status-line', attrs: { role: 'status', 'aria-live': 'polite' }, data: { level: '' } }, this.message, this.dismiss);
    this.element.hidden = true;
    owner.listen(this.dismiss, 'click', () => this.clear());
  }

  show(level: StatusLevel, text: string): void {
    this.hideTimer?.();
    this.hideTimer = undefined;
    this.message.textContent = text;
    this.element.dataset.level = level;
    // Errors interrupt a screen reader; the rest waits its turn.
    this.element.setAttribute('role', level === 'error' ? 'alert' : 'status');
    this.element.hidden = false;
    if (level === 'error') console.error(`Latent Explorer: ${text}`);
    if (level === 'info') this.hideTimer = this.owner.timeout(() => this.clear(), INFO_MS);
  }

  clear(): void {
    this.hideTimer?.();
    this.hideTimer = undefined;
    this.element.hidden = true;
    this.message.textContent = '';
    this.element.dataset.level = '';
  }
}
