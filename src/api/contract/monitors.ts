/** (to be declared) */
export const MONITORS = {};
