// The AWS SDK's clients take ~0.35 s to load, which every command paid, AWS or not. These
// shims load a package on first use instead: a class becomes a Proxy that constructs the
// real class, a function one that calls the real function. A kind that needs another SDK
// value adds one line to its package's shim (s3.ts, ec2.ts, ...): until then tsc refuses it,
// as the shim re-exports every other name of the package as a type only.
import { createRequire } from 'node:module';

const requireSdk = createRequire(import.meta.url);

/** A loader for `pkg` that requires it once, on its first call. */
export function lazyModule(pkg: string): () => unknown {
  let loaded: unknown;
  return () => {
    loaded ??= requireSdk(pkg) as unknown;
    return loaded;
  };
}

/** A stand-in for a class or function of a lazily loaded module. */
export function lazyValue<T>(load: () => T): T {
  const real = (): object => load() as object;
  // A plain function target: callable and constructible, so both traps apply.
  const target = function lazySdkValue(): void {
    // replaced by the traps
  };
  const handler: ProxyHandler<typeof target> = {
    apply: (_target, thisArg, args: unknown[]): unknown => Reflect.apply<unknown, unknown[], unknown>(real() as (...a: unknown[]) => unknown, thisArg, args),
    construct: (_target, args: unknown[]): object => Reflect.construct(real() as new (...a: unknown[]) => object, args),
    get: (_target, key): unknown => Reflect.get(real(), key) as unknown,
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  };
  return new Proxy(target, handler) as unknown as T;
}
