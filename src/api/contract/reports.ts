/** (to be declared) */
export const REPORTS = {};
