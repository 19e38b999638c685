/**
 * Just enough DOM to run the real panel script (media/panel.js, the bundle the webview loads)
 * in plain Node: elements by id, createElement, listeners, a 2D canvas that draws nothing.
 * The script runs in its own vm context so that a runaway loop is stopped by a timeout.
 */
import * as fs from 'node:fs';
import * as vm from 'node:vm';

type Listener = (event: unknown) => void;

class FakeElement {
  children: FakeElement[] = [];
  textContent: string | null = '';
  title = '';
  className = '';
  hidden = false;
  disabled = false;
  value = '';
  text = '';
  clientWidth = 600;
  width = 600;
  height = 160;
  readonly style: Record<string, string> = {};
  readonly dataset: Record<string, string> = {};
  readonly attributes: Record<string, string> = {};
  readonly listeners = new Map<string, Listener[]>();
  constructor(readonly tagName: string) {}
  get options(): FakeElement[] {
    return this.children;
  }
  setAttribute(name: string, value: unknown): void {
    this.attributes[name] = String(value);
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  dispatch(type: string): void {
    // A disabled button gets no click, as in the browser.
    if (type === 'click' && this.disabled) return;
    for (const l of this.listeners.get(type) ?? []) l({ type, target: this });
  }
  append(...nodes: FakeElement[]): void {
    for (const n of nodes) if (!(n instanceof FakeElement)) throw new TypeError('append: not a node');
    this.children.push(...nodes);
  }
  replaceChildren(...nodes: FakeElement[]): void {
    this.children = [];
    this.append(...nodes);
  }
  getContext(): unknown {
    // Every drawing call is accepted and ignored; assignments (strokeStyle, font...) are kept.
    return new Proxy({} as Record<string | symbol, unknown>, { get: (target, key) => (key in target ? target[key] : () => undefined) });
  }
}

export interface FakeWebview {
  /** Delivers one message as the webview's `message` event; throws what the script threw. */
  receive(data: unknown, timeoutMs: number): void;
  /** Messages the script posted to the extension. */
  readonly posted: unknown[];
  element(id: string): FakeElement;
  /** True once the panel has drawn an update. */
  rendered(): boolean;
}

export function loadPanelScript(file: string): FakeWebview {
  const elements = new Map<string, FakeElement>();
  const element = (id: string) => {
    let e = elements.get(id);
    if (!e) elements.set(id, (e = new FakeElement(id === 'vector' ? 'canvas' : 'div')));
    return e;
  };
  const body = new FakeElement('body');
  const windowListeners: Listener[] = [];
  const posted: unknown[] = [];
  const sandbox: Record<string, unknown> = {
    // Messages are made in this realm: the script must see the same typed-array classes
    // (in the browser, structured clone makes them in the webview's realm).
    Float32Array,
    Float64Array,
    document: {
      body,
      activeElement: null,
      getElementById: element,
      createElement: (tag: string) => new FakeElement(tag),
    },
    window: { addEventListener: (type: string, l: Listener) => type === 'message' && windowListeners.push(l) },
    getComputedStyle: () => ({ getPropertyValue: () => '' }),
    Option: class extends FakeElement {
      constructor(text: string, value: string) {
        super('option');
        this.text = text;
        this.value = value;
      }
    },
    acquireVsCodeApi: () => ({ postMessage: (m: unknown) => posted.push(structuredClone(m)), setState: () => undefined, getState: () => undefined }),
  };
  const context = vm.createContext(sandbox);
  vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file, timeout: 5000 });
  if (windowListeners.length !== 1) throw new Error(`the panel script registered ${windowListeners.length} message listeners`);
  return {
    posted,
    element,
    rendered: () => body.dataset.ready === 'true',
    receive(data, timeoutMs) {
      sandbox.__event = { data };
      sandbox.__listener = windowListeners[0];
      vm.runInContext('__listener(__event)', context, { timeout: timeoutMs });
    },
  };
}
