export { CACHE_FILE, openStore } from './open-store.ts';
export type { LocalStore } from './open-store.ts';
