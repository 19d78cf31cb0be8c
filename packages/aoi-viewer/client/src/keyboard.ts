import { byTestId, element } from './dom.js';

export interface KeyActions {
  togglePlay(): void;
  step(delta: number): void;
  home(): void;
  end(): void;
  deselect(): void;
  focusSearch(): void;
  fit(): void;
}

/** The shortcuts as the `?` overlay lists them. */
export const SHORTCUTS = [
  ['Space', 'play / pause (live: follow the newest tick / stop following)'],
  ['← / →', 'one tick back / forward'],
  ['Shift + ← / →', '10 ticks back / forward'],
  ['Home / End', 'first / last tick (live: End follows the stream again)'],
  ['Esc', 'deselect (or close this list)'],
  ['/', 'search'],
  ['f', 'fit the map to the world'],
  ['?', 'show or hide this list'],
] as const;

/** Keyboard shortcuts for the whole page, except while typing in a text field. */
export function setUpKeyboard(actions: KeyActions): void {
  const help = byTestId('help');
  byTestId('help-keys').replaceChildren(
    ...SHORTCUTS.map(([keys, does]) => {
      const row = element('tr');
      row.append(element('td', {}, {}), element('td', { textContent: does }));
      row.firstElementChild!.append(element('kbd', { textContent: keys }));
      return row;
    }),
  );
  const toggleHelp = () => {
    help.hidden = !help.hidden;
  };
  byTestId('help-button').addEventListener('click', toggleHelp);
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement;
    if (isTextField(target)) {
      if (event.key === 'Escape') target.blur();
      return;
    }
    const by = event.shiftKey ? 10 : 1;
    switch (event.key) {
      case ' ':
        // A focused button would also take the Space as a click when the key comes up.
        if (target instanceof HTMLButtonElement) target.blur();
        actions.togglePlay();
        break;
      case 'ArrowLeft':
        actions.step(-by);
        break;
      case 'ArrowRight':
        actions.step(by);
        break;
      case 'Home':
        actions.home();
        break;
      case 'End':
        actions.end();
        break;
      case 'Escape':
        if (help.hidden) actions.deselect();
        else help.hidden = true;
        break;
      case '/':
        actions.focusSearch();
        break;
      case 'f':
        actions.fit();
        break;
      case '?':
        toggleHelp();
        break;
      default:
        return;
    }
    event.preventDefault();
  });
}

function isTextField(target: HTMLElement): boolean {
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['range', 'checkbox', 'button'].includes(target.type);
}
