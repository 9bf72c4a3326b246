// The types of driver-guard.mjs, for the TypeScript that imports it.
/** Whether this process's mongodb driver is guarded (false: its internals are not as expected). */
export declare const driverGuarded: boolean
