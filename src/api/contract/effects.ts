/** (to be declared) */
export const EFFECTS = {};
