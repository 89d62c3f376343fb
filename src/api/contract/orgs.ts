/** (to be declared) */
export const ORGS = {};
