// The console's keyboard shortcuts: a small registry any screen adds to while it is
// mounted (useShortcuts), one keydown listener that runs them, and the list the `?`
// help overlay shows. Keys are matched on KeyboardEvent.key ('j', 'J', '/', 'Escape'),
// never while the user types in a field, and never with Ctrl, Alt or Meta held (those
// belong to the browser).
import { useEffect, useRef, useSyncExternalStore } from 'react';

export interface Shortcut {
  /** KeyboardEvent.key to match, e.g. 'j', 'A' (Shift+a), '/', 'Escape'. */
  key: string;
  /** Already translated: what pressing it does. */
  description: string;
  /** Already translated heading it is listed under in the help (e.g. the feature's name). */
  group: string;
  run: (ev: KeyboardEvent) => void;
  /** Also fire while focus is in a text field (e.g. Escape). */
  inFields?: boolean;
}

interface Entry {
  id: number;
  shortcut: Shortcut;
}

let entries: Entry[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

function register(shortcut: Shortcut): () => void {
  const entry = { id: nextId++, shortcut };
  entries = [...entries, entry];
  emit();
  return () => {
    entries = entries.filter((e) => e !== entry);
    emit();
  };
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Every shortcut registered now, in registration order (for the help overlay). */
export function useRegisteredShortcuts(): readonly Shortcut[] {
  const snapshot = useSyncExternalStore(subscribe, () => entries);
  return snapshot.map((e) => e.shortcut);
}

/**
 * Registers `shortcuts` while the calling component is mounted. The handlers may change
 * on every render (the latest is called); the list is re-registered when the keys,
 * descriptions or groups change (e.g. a language switch).
 */
export function useShortcuts(shortcuts: readonly Shortcut[]): void {
  const latest = useRef(shortcuts);
  latest.current = shortcuts;
  const signature = shortcuts.map((s) => `${s.group}\u0000${s.key}\u0000${s.description}\u0000${s.inFields ? 1 : 0}`).join('\u0001');
  useEffect(() => {
    const offs = latest.current.map((s, i) =>
      register({ ...s, run: (ev) => latest.current[i]?.run(ev) }),
    );
    return () => {
      for (const off of offs) off();
    };
  }, [signature]);
}

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
}

/** Runs the registered shortcuts; mount once (the console layout does). Latest registration wins. */
export function useShortcutDispatcher(): void {
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) return;
      const inField = typingIn(ev.target);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const { shortcut } = entries[i]!;
        if (shortcut.key !== ev.key || (inField && !shortcut.inFields)) continue;
        ev.preventDefault();
        shortcut.run(ev);
        return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
