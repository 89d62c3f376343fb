/** (to be declared) */
export const IMPORTS = {};
