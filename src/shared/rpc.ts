// One request/notification channel for every boundary: extension host ⇄ engine process,
// extension host ⇄ webview, and in-memory pairs in tests. Requests carry an id and get exactly
// one response (a result or a serialized EngineError); every request can time out and be
// cancelled; a dead peer rejects everything pending. No `vscode`, no DOM, no tfjs.

import { EngineError, type SerializedEngineError } from './errors';

/** Requests a side can send: method → params and result. Interfaces satisfy it without an index signature. */
export type MethodMap<T> = { [K in keyof T]: { params: unknown; result: unknown } };
/** Notifications a side can send: method → params. */
export type NotificationMap<T> = { [K in keyof T]: unknown };

export type RpcMessage =
  | { kind: 'request'; id: number; method: string; params: unknown }
  | { kind: 'response'; inReplyTo: number; ok: true; result: unknown }
  | { kind: 'response'; inReplyTo: number; ok: false; error: SerializedEngineError }
  | { kind: 'notification'; method: string; params: unknown }
  | { kind: 'cancel'; id: number };

/** What a channel needs from the boundary it runs over. */
export interface Transport {
  send(message: RpcMessage): void;
  /** Subscribes to incoming messages; returns an unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
}

export interface RequestOptions {
  /** Milliseconds before the request fails with a `timeout` error; 0 means never. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HandlerContext {
  /** Aborted when the peer cancels this request or the channel closes. */
  signal: AbortSignal;
}

type Handler = (params: unknown, context: HandlerContext) => unknown;
/** Turns untrusted params into trusted ones or throws a bad-input EngineError. */
export type Validator<T> = (params: unknown) => T;

interface Pending {
  resolve(result: unknown): void;
  reject(error: EngineError): void;
  cleanup(): void;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export function isRpcMessage(value: unknown): value is RpcMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.kind) {
    case 'request':
      return Number.isInteger(m.id) && typeof m.method === 'string';
    case 'response':
      return Number.isInteger(m.inReplyTo) && typeof m.ok === 'boolean';
    case 'notification':
      return typeof m.method === 'string';
    case 'cancel':
      return Number.isInteger(m.id);
    default:
      return false;
  }
}

export class RpcChannel<
  Outgoing extends MethodMap<Outgoing>,
  Incoming extends MethodMap<Incoming>,
  OutgoingNotes extends NotificationMap<OutgoingNotes> = Record<string, never>,
  IncomingNotes extends NotificationMap<IncomingNotes> = Record<string, never>,
> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, Handler>();
  private readonly running = new Map<number, AbortController>();
  private readonly listeners = new Map<string, Set<(params: unknown) => void>>();
  private readonly unsubscribe: () => void;
  private closedWith: EngineError | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.unsubscribe = transport.onMessage((message) => this.receive(message));
  }

  request<M extends keyof Outgoing & string>(
    method: M,
    params: Outgoing[M]['params'],
    options: RequestOptions = {},
  ): Promise<Outgoing[M]['result']> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (options.signal?.aborted) return Promise.reject(new EngineError('cancelled', `${method} was cancelled`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              this.settle(id)?.reject(new EngineError('timeout', `${method} got no answer within ${timeoutMs} ms`));
              this.trySend({ kind: 'cancel', id });
            }, timeoutMs)
          : undefined;
      const onAbort = (): void => {
        this.trySend({ kind: 'cancel', id });
        this.settle(id)?.reject(new EngineError('cancelled', `${method} was cancelled`));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: resolve as (result: unknown) => void,
        reject,
        cleanup: () => {
          if (timer) clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
        },
      });
      if (!this.trySend({ kind: 'request', id, method, params })) {
        this.settle(id)?.reject(new EngineError('engine-crashed', `Could not send ${method}: the other side is gone`));
      }
    });
  }

  notify<N extends keyof OutgoingNotes & string>(method: N, params: OutgoingNotes[N]): void {
    if (!this.closedWith) this.trySend({ kind: 'notification', method, params });
  }

  /**
   * Registers the handler of one incoming request type. With a validator, params that fail it are
   * refused with a bad-input error before the handler sees them.
   */
  handle<M extends keyof Incoming & string>(
    method: M,
    handler: (params: Incoming[M]['params'], context: HandlerContext) => Promise<Incoming[M]['result']> | Incoming[M]['result'],
    validate?: Validator<Incoming[M]['params']>,
  ): void {
    this.handlers.set(method, (params, context) => handler(validate ? validate(params) : (params as Incoming[M]['params']), context));
  }

  onNotification<N extends keyof IncomingNotes & string>(method: N, listener: (params: IncomingNotes[N]) => void): () => void {
    let set = this.listeners.get(method);
    if (!set) this.listeners.set(method, (set = new Set()));
    const typed = listener as (params: unknown) => void;
    set.add(typed);
    return () => set.delete(typed);
  }

  /** Fails every pending request with `error` and refuses new ones (the peer died or was closed). */
  close(error: EngineError = new EngineError('cancelled', 'The channel was closed')): void {
    if (this.closedWith) return;
    this.closedWith = error;
    this.unsubscribe();
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(error);
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }

  get isClosed(): boolean {
    return this.closedWith !== undefined;
  }

  private receive(message: unknown): void {
    if (!isRpcMessage(message)) {
      this.log(`Refused a malformed message: ${describe(message)}`);
      return;
    }
    switch (message.kind) {
      case 'request':
        void this.serve(message.id, message.method, message.params);
        return;
      case 'response': {
        const pending = this.settle(message.inReplyTo);
        if (!pending) return; // timed out or cancelled already
        if (message.ok) pending.resolve(message.result);
        else pending.reject(EngineError.fromJSON(message.error));
        return;
      }
      case 'notification':
        for (const listener of this.listeners.get(message.method) ?? []) {
          try {
            listener(message.params);
          } catch (error) {
            this.log(`Listener of ${message.method} failed: ${String(error)}`);
          }
        }
        return;
      case 'cancel':
        this.running.get(message.id)?.abort();
        return;
    }
  }

  private async serve(id: number, method: string, params: unknown): Promise<void> {
    const handler = this.handlers.get(method);
    if (!handler) {
      this.log(`Refused unknown request type ${JSON.stringify(method)}`);
      this.trySend({ kind: 'response', inReplyTo: id, ok: false, error: { code: 'bad-input', message: `Unknown request ${method}` } });
      return;
    }
    const controller = new AbortController();
    // An id still running means the peer reused it (it restarted): the old request is lost anyway.
    this.running.get(id)?.abort();
    this.running.set(id, controller);
    // A closed channel's peer is gone or replaced (a reloaded page gets a fresh channel, see
    // pageChannels.ts), and a reused id belongs to a newer request: a late answer could only reach
    // the wrong request.
    const stale = (): boolean => this.closedWith !== undefined || this.running.get(id) !== controller;
    try {
      const result = await handler(params, { signal: controller.signal });
      if (!stale()) this.trySend({ kind: 'response', inReplyTo: id, ok: true, result });
    } catch (error) {
      if (stale()) return;
      const engineError = EngineError.from(error);
      if (engineError.code === 'bad-input') this.log(`Refused ${method}: ${engineError.message}`);
      this.trySend({ kind: 'response', inReplyTo: id, ok: false, error: engineError.toJSON() });
    } finally {
      if (this.running.get(id) === controller) this.running.delete(id);
    }
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    this.pending.delete(id);
    pending.cleanup();
    return pending;
  }

  private trySend(message: RpcMessage): boolean {
    try {
      this.transport.send(message);
      return true;
    } catch (error) {
      this.log(`Could not send ${message.kind}: ${String(error)}`);
      return false;
    }
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Two transports wired to each other, for tests and for in-process engines. */
export function transportPair(): [Transport, Transport] {
  const listenersA = new Set<(m: unknown) => void>();
  const listenersB = new Set<(m: unknown) => void>();
  const deliver = (to: Set<(m: unknown) => void>, message: RpcMessage): void => {
    const copy = structuredClone(message);
    queueMicrotask(() => to.forEach((l) => l(copy)));
  };
  const a: Transport = {
    send: (message) => deliver(listenersB, message),
    onMessage: (l) => (listenersA.add(l), () => listenersA.delete(l)),
  };
  const b: Transport = {
    send: (message) => deliver(listenersA, message),
    onMessage: (l) => (listenersB.add(l), () => listenersB.delete(l)),
  };
  return [a, b];
}
