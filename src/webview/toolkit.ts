// The ONLY module that imports @vscode/webview-ui-toolkit. Its repository was archived in January 2025
// (microsoft/vscode-webview-ui-toolkit#561); the successor is @vscode-elements/elements. Views use
// the small handles below and never the components' classes, so a swap rewrites this file alone.
// Everything else on the page is plain HTML styled with --vscode-* variables (media/explorer.css).
//
// Toolkit 1.4 has no slider: ranges are native <input type="range">, styled in explorer.css.

import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/** Defines the custom elements once per page. */
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodeProgressRing());
}

export interface ButtonOptions {
  appearance?: 'primary' | 'secondary' | 'icon';
  /** Tooltip and accessible name when the label is terse. */
  title?: string;
}

export function createButton(label: string, options: ButtonOptions = {}): HTMLElement {
  registerToolkit();
  const button = document.createElement('vscode-button');
  button.textContent = label;
  button.setAttribute('appearance', options.appearance ?? 'secondary');
  if (options.title) {
    button.title = options.title;
    button.setAttribute('aria-label', options.title);
  }
  return button;
}

export interface ChoiceOption {
  value: string;
  label: string;
}

/** A dropdown as the views see it: a value, a disabled flag and a change listener. */
export interface DropdownHandle {
  readonly element: HTMLElement;
  value: string;
  disabled: boolean;
  /** Called when the user picks an option (not when `value` is set in code); returns an unsubscribe. */
  onChange(listener: (value: string) => void): () => void;
}

interface ToolkitDropdown extends HTMLElement {
  value: string;
  disabled: boolean;
}

export function createDropdown(options: ChoiceOption[], selected: string, ariaLabel: string): DropdownHandle {
  registerToolkit();
  const element = document.createElement('vscode-dropdown') as ToolkitDropdown;
  element.setAttribute('aria-label', ariaLabel);
  element.setAttribute('position', 'below');
  for (const option of options) {
    const item = document.createElement('vscode-option');
    item.setAttribute('value', option.value);
    item.textContent = option.label;
    // Selected through the attribute: the dropdown adopts it whenever it connects.
    if (option.value === selected) item.setAttribute('selected', '');
    element.appendChild(item);
  }
  return {
    element,
    get value(): string {
      return element.value ?? selected;
    },
    set value(next: string) {
      for (const item of Array.from(element.children)) item.toggleAttribute('selected', item.getAttribute('value') === next);
      element.value = next;
    },
    get disabled(): boolean {
      return element.disabled;
    },
    set disabled(next: boolean) {
      element.disabled = next;
    },
    onChange(listener) {
      const onChange = (): void => listener(element.value);
      element.addEventListener('change', onChange);
      return () => element.removeEventListener('change', onChange);
    },
  };
}

/** An indeterminate progress ring (the toolkit's is never determinate). */
export function createProgressRing(label: string): HTMLElement {
  registerToolkit();
  const ring = document.createElement('vscode-progress-ring');
  ring.setAttribute('aria-label', label);
  return ring;
}
