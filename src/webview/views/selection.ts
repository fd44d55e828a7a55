// The one selection of the explorer page, shared by every view: the maps (lasso, brush, click), the
// thumbnails list, the decoder grid's overlay, search, and the lecture views (interpolation, average
// image, attribute vectors). DOM-free: views listen and draw; nothing here draws.
//
// Indices are session sample indices (0 … snapshot.count − 1, the rows of snapshot.codes), never
// dataset indices (snapshot.datasetIndices maps one to the other).
//
// What it holds:
//  - `indices`: the selected samples (sorted, no duplicates). Empty = nothing selected: views draw
//    everything normally; non-empty: unselected points are drawn greyed.
//  - `focus`: the one sample last clicked (the detail card shows it), or undefined.
//  - groups 'A' and 'B': two stored selections (e.g. "with the attribute" / "without", for an
//    attribute vector from two lassos). `storeGroup('A')` copies the current selection.
//  - a "pick two points" mode: `pickTwo()` resolves with the next two samples clicked in either map
//    (interpolation endpoints); `cancelPick()` resolves it with undefined.
//
// Usage (lecture views):
//   const off = selection.onDidChange((change) => { if (change.what === 'indices') redraw(selection.indices); });
//   const pair = await selection.pickTwo();   // [a, b] or undefined if cancelled
//   selection.group('A'), selection.group('B') // Int32Array (possibly empty)

export type SelectionSource = 'lasso' | 'brush' | 'click' | 'keyboard' | 'search' | 'neighbours' | 'api' | 'clear';
export type GroupName = 'A' | 'B';

export interface SelectionChange {
  /** Which part changed. */
  what: 'indices' | 'focus' | 'group' | 'pick';
  source: SelectionSource;
}

export interface PickState {
  /** Samples picked so far (0 or 1 before the pick completes). */
  picked: number[];
}

const EMPTY = new Int32Array(0);

export class SelectionModel {
  private current: Int32Array = EMPTY;
  private member: Uint8Array;
  private focused: number | undefined;
  private readonly groups: Record<GroupName, Int32Array> = { A: EMPTY, B: EMPTY };
  private readonly listeners = new Set<(change: SelectionChange) => void>();
  private pick: { picked: number[]; resolve: (pair: [number, number] | undefined) => void } | undefined;

  constructor(readonly count: number) {
    this.member = new Uint8Array(count);
  }

  /** The selected samples, sorted ascending. Do not mutate. */
  get indices(): Int32Array {
    return this.current;
  }

  get size(): number {
    return this.current.length;
  }

  get isEmpty(): boolean {
    return this.current.length === 0;
  }

  has(index: number): boolean {
    return this.member[index] === 1;
  }

  /** 1 for selected samples, 0 otherwise (count entries). Do not mutate. */
  get mask(): Uint8Array {
    return this.member;
  }

  /** Replaces the selection (out-of-range and duplicate indices are dropped). */
  set(indices: Iterable<number>, source: SelectionSource = 'api'): void {
    const mask = new Uint8Array(this.count);
    let size = 0;
    for (const i of indices) {
      if (Number.isInteger(i) && i >= 0 && i < this.count && mask[i] === 0) {
        mask[i] = 1;
        size++;
      }
    }
    this.apply(mask, size, source);
  }

  /** Adds (`mode` 'add'), removes ('subtract') or replaces ('replace') with `indices`. */
  combine(indices: Iterable<number>, mode: 'replace' | 'add' | 'subtract', source: SelectionSource): void {
    if (mode === 'replace') {
      this.set(indices, source);
      return;
    }
    const mask = Uint8Array.from(this.member);
    for (const i of indices) if (Number.isInteger(i) && i >= 0 && i < this.count) mask[i] = mode === 'add' ? 1 : 0;
    let size = 0;
    for (let i = 0; i < mask.length; i++) size += mask[i];
    this.apply(mask, size, source);
  }

  clear(): void {
    if (this.current.length === 0) return;
    this.apply(new Uint8Array(this.count), 0, 'clear');
  }

  /** The sample last clicked (shown in the detail card). */
  get focus(): number | undefined {
    return this.focused;
  }

  setFocus(index: number | undefined, source: SelectionSource = 'click'): void {
    const next = index !== undefined && Number.isInteger(index) && index >= 0 && index < this.count ? index : undefined;
    if (next === this.focused) return;
    this.focused = next;
    this.emit({ what: 'focus', source });
  }

  /** Copies the current selection into group A or B. */
  storeGroup(name: GroupName): void {
    this.groups[name] = this.current.slice();
    this.emit({ what: 'group', source: 'api' });
  }

  group(name: GroupName): Int32Array {
    return this.groups[name];
  }

  /**
   * Waits for the next two samples clicked in either map (a click calls `offerPick`). A second call
   * cancels the first (which resolves undefined).
   */
  pickTwo(): Promise<[number, number] | undefined> {
    this.cancelPick();
    return new Promise((resolve) => {
      this.pick = { picked: [], resolve };
      this.emit({ what: 'pick', source: 'api' });
    });
  }

  /** Whether a pick is running, and what it has so far. */
  get picking(): PickState | undefined {
    return this.pick ? { picked: [...this.pick.picked] } : undefined;
  }

  /** A map was clicked on sample `index`: true if a running pick took it (then it is not a focus click). */
  offerPick(index: number): boolean {
    const pick = this.pick;
    if (!pick || !Number.isInteger(index) || index < 0 || index >= this.count) return false;
    pick.picked.push(index);
    if (pick.picked.length === 2) {
      this.pick = undefined;
      pick.resolve([pick.picked[0], pick.picked[1]]);
    }
    this.emit({ what: 'pick', source: 'click' });
    return true;
  }

  cancelPick(): void {
    const pick = this.pick;
    if (!pick) return;
    this.pick = undefined;
    pick.resolve(undefined);
    this.emit({ what: 'pick', source: 'api' });
  }

  /** Calls `listener` after every change; returns the unsubscribe. */
  onDidChange(listener: (change: SelectionChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  dispose(): void {
    this.cancelPick();
    this.listeners.clear();
  }

  private apply(mask: Uint8Array, size: number, source: SelectionSource): void {
    const next = new Int32Array(size);
    let at = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) next[at++] = i;
    if (sameIndices(next, this.current)) return;
    this.member = mask;
    this.current = next;
    this.emit({ what: 'indices', source });
  }

  private emit(change: SelectionChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        console.error('Latent Explorer: a selection listener failed', error);
      }
    }
  }
}

function sameIndices(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
