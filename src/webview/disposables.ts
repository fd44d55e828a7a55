// Teardown in one place: every listener, observer, timer and animation frame a view starts is
// registered here and undone by `dispose()` (idempotent), so a reset or reload leaks nothing.

export class Disposables {
  private readonly undo: (() => void)[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Adopts a cleanup; runs it at once if this owner is already gone. */
  add(cleanup: () => void): void {
    if (this.disposed) cleanup();
    else this.undo.push(cleanup);
  }

  listen<K extends keyof HTMLElementEventMap>(
    target: HTMLElement,
    type: K,
    listener: (event: HTMLElementEventMap[K]) => void,
    options?: AddEventListenerOptions,
  ): void;
  listen<K extends keyof WindowEventMap>(
    target: Window,
    type: K,
    listener: (event: WindowEventMap[K]) => void,
    options?: AddEventListenerOptions,
  ): void;
  listen(target: EventTarget, type: string, listener: (event: Event) => void, options?: AddEventListenerOptions): void;
  listen(target: EventTarget, type: string, listener: (event: never) => void, options?: AddEventListenerOptions): void {
    const handler = listener as unknown as EventListener;
    target.addEventListener(type, handler, options);
    this.add(() => target.removeEventListener(type, handler, options));
  }

  timeout(callback: () => void, ms: number): () => void {
    const handle = setTimeout(callback, ms);
    const cancel = (): void => clearTimeout(handle);
    this.add(cancel);
    return cancel;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const cleanup of this.undo.splice(0).reverse()) {
      try {
        cleanup();
      } catch (error) {
        console.error('Latent Explorer: a cleanup failed', error);
      }
    }
  }
}

/**
 * Runs `callback` at most once per animation frame however often `schedule()` is called; `cancel()`
 * drops a pending frame. Owned by a Disposables so teardown cancels it.
 */
export class FrameScheduler {
  private handle: number | undefined;

  constructor(
    private readonly callback: () => void,
    owner: Disposables,
  ) {
    owner.add(() => this.cancel());
  }

  schedule(): void {
    if (this.handle !== undefined) return;
    this.handle = requestAnimationFrame(() => {
      this.handle = undefined;
      this.callback();
    });
  }

  /** Runs now (dropping a pending frame): for tests and first paints. */
  flush(): void {
    this.cancel();
    this.callback();
  }

  cancel(): void {
    if (this.handle !== undefined) cancelAnimationFrame(this.handle);
    this.handle = undefined;
  }
}
