/** (to be declared) */
export const SEARCH = {};
