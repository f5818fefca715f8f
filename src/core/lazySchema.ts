// A module-level zod schema built on first use, not when its module loads (issue 14): the
// extension host's main thread requires engine-main.js for a window's first check, and building
// every schema of the model, the history and the cache there cost a third of that require
// while most of them are first needed later (history, alerts) or only in the check worker.
// The schema behaves as itself — parse, shape, composition into other schemas, z.infer — and
// is built once, by the first thing that touches it.

/** `build()` on first use; the value stands for the schema it returns everywhere a schema goes. */
// No side effects: a bundle that never reads a schema drops it, as it dropped an unused zod call.
/* @__NO_SIDE_EFFECTS__ */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const schema = (): T => (built ??= build());
  // The target is a stand-in: every trap answers from the built schema. Own properties are
  // reported configurable, as a proxy over an empty extensible target must.
  return new Proxy(Object.create(null) as T, {
    get: (_, p) => Reflect.get(schema(), p),
    set: (_, p, v) => Reflect.set(schema(), p, v),
    has: (_, p) => Reflect.has(schema(), p),
    defineProperty: (_, p, d) => Reflect.defineProperty(schema(), p, d),
    deleteProperty: (_, p) => Reflect.deleteProperty(schema(), p),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
    ownKeys: () => Reflect.ownKeys(schema()),
    getOwnPropertyDescriptor: (_, p) => {
      const d = Reflect.getOwnPropertyDescriptor(schema(), p);
      if (d) d.configurable = true;
      return d;
    },
  });
}
