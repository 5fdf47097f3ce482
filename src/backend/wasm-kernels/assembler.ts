/**
 * A tiny WebAssembly binary writer: just enough to emit a module that imports a memory and
 * exports a few functions built from raw opcodes (including SIMD). Used to generate the row
 * gather / scatter kernels at run time, so no toolchain or committed binary is needed.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit values). */
export function sleb(v: number): number[] {
  const out: number[] = [];
  v |= 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function str(s: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(s));
  return [...uleb(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** Builds one function body with named helpers for the opcodes the kernels use. */
export class Body {
  readonly code: number[] = [];
  /** Local variable declarations beyond the parameters: [count, type] runs. */
  readonly locals: [number, number][] = [];
  private nLocals: number;

  constructor(nParams: number) {
    this.nLocals = nParams;
  }

  /** Declares a new local of `type`, returns its index. */
  local(type: number): number {
    this.locals.push([1, type]);
    return this.nLocals++;
  }

  /** Declares `count` locals of `type` in order, returns their indices. */
  localsOf(type: number, count: number): number[] {
    return Array.from({ length: count }, () => this.local(type));
  }

  emit(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  get(i: number): this {
    return this.emit(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.emit(0x21, ...uleb(i));
  }
  tee(i: number): this {
    return this.emit(0x22, ...uleb(i));
  }
  i32(v: number): this {
    return this.emit(0x41, ...sleb(v));
  }
  add(): this {
    return this.emit(0x6a);
  }
  sub(): this {
    return this.emit(0x6b);
  }
  mul(): this {
    return this.emit(0x6c);
  }
  shl(): this {
    return this.emit(0x74);
  }
  and(): this {
    return this.emit(0x71);
  }
  ltU(): this {
    return this.emit(0x49);
  }
  geU(): this {
    return this.emit(0x4f);
  }
  eqz(): this {
    return this.emit(0x45);
  }
  eq(): this {
    return this.emit(0x46);
  }
  or(): this {
    return this.emit(0x72);
  }
  /** `if` of a block without results; close with `end()`, optionally after `else_()`. */
  ifThen(): this {
    return this.emit(0x04, 0x40);
  }
  else_(): this {
    return this.emit(0x05);
  }
  loadI32(offset = 0): this {
    return this.emit(0x28, 2, ...uleb(offset));
  }
  loadF32(offset = 0): this {
    return this.emit(0x2a, 2, ...uleb(offset));
  }
  storeF32(offset = 0): this {
    return this.emit(0x38, 2, ...uleb(offset));
  }
  addF32(): this {
    return this.emit(0x92);
  }
  loadV128(offset = 0): this {
    return this.emit(0xfd, ...uleb(0), 2, ...uleb(offset));
  }
  storeV128(offset = 0): this {
    return this.emit(0xfd, ...uleb(11), 2, ...uleb(offset));
  }
  addF32x4(): this {
    return this.emit(0xfd, ...uleb(228));
  }
  mulF32x4(): this {
    return this.emit(0xfd, ...uleb(230));
  }
  splatF32x4(): this {
    return this.emit(0xfd, ...uleb(19));
  }
  subF32x4(): this {
    return this.emit(0xfd, ...uleb(229));
  }
  maxF32x4(): this {
    return this.emit(0xfd, ...uleb(233));
  }
  gtF32x4(): this {
    return this.emit(0xfd, ...uleb(68));
  }
  andV128(): this {
    return this.emit(0xfd, ...uleb(78));
  }
  f32(v: number): this {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    return this.emit(0x43, ...b);
  }
  block(): this {
    return this.emit(0x02, 0x40);
  }
  loop(): this {
    return this.emit(0x03, 0x40);
  }
  br(depth: number): this {
    return this.emit(0x0c, ...uleb(depth));
  }
  brIf(depth: number): this {
    return this.emit(0x0d, ...uleb(depth));
  }
  end(): this {
    return this.emit(0x0b);
  }

  /** `for (i = from; i < to; i += step) { body }` with i, to as locals; `body` emits the loop body. */
  forRange(i: number, from: () => void, to: number, step: number, body: () => void): this {
    from();
    this.set(i);
    this.block().loop();
    this.get(i).get(to).geU().brIf(1);
    body();
    this.get(i).i32(step).add().set(i);
    this.br(0).end().end();
    return this;
  }

  /** `for (i = 0; i < n; i++) { body }` with i, n as locals. */
  forCount(i: number, n: number, body: () => void): this {
    return this.forRange(i, () => this.i32(0), n, 1, body);
  }

  /** Pushes `base + 4·index` (base, index locals): the byte address of a 4-byte element. */
  elemAddr(base: number, index: number): this {
    return this.get(base).get(index).i32(2).shl().add();
  }

  encode(): number[] {
    const locals = vec(this.locals.map(([n, t]) => [...uleb(n), t]));
    const bytes = [...locals, ...this.code, 0x0b];
    return [...uleb(bytes.length), ...bytes];
  }
}

export interface FuncDef {
  name: string;
  params: number[];
  results: number[];
  body: Body;
}

/** A module importing `env.memory` (shared or not) and exporting `funcs`. */
export function buildModule(funcs: FuncDef[], memory: { shared: boolean }): Uint8Array {
  const types = section(
    1,
    vec(funcs.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))])),
  );
  const limits = memory.shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = section(2, vec([[...str('env'), ...str('memory'), 0x02, ...limits]]));
  const fns = section(3, vec(funcs.map((_, i) => uleb(i))));
  const exports = section(7, vec(funcs.map((f, i) => [...str(f.name), 0x00, ...uleb(i)])));
  const code = section(10, vec(funcs.map((f) => f.body.encode())));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...imports,
    ...fns,
    ...exports,
    ...code,
  ]);
}

/** Whether `memory` is shared (a threaded build's heap): the kernels must import it as such. */
export function isSharedMemory(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/** Compiles `bytes` and instantiates them on `memory` (synchronously: the modules are small). */
export function instantiateOn<T>(bytes: Uint8Array, memory: WebAssembly.Memory): T {
  const mod = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  return new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as T;
}
