/** (to be declared) */
export const SURVEYS = {};
