/** (to be declared) */
export const CASES = {};
