/** (to be declared) */
export const AUTH = {};
